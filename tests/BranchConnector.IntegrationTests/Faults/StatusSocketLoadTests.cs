using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace BranchConnector.IntegrationTests.Faults;

/// <summary>
/// The daemon's status socket under a crowd: 200 clients at once while one client holds a connection and never
/// speaks, and requests far over the size limit. The bound checked is about blocking, not speed: a server that
/// let the silent client (or a queue of 200 snapshots) hold the others up would answer them after the 5 s
/// request timeout or many snapshots later. With shared snapshots the last of the crowd waits at most for the
/// snapshot under way and one more, so each must be answered within 1 s plus twice the slowest lone request.
/// </summary>
public sealed class StatusSocketLoadTests
{
    private static readonly byte[] StatusRequest = Encoding.UTF8.GetBytes("{\"v\":1,\"request\":\"status\"}\n");

    [Fact]
    public async Task Two_hundred_clients_are_answered_while_one_never_speaks_and_oversized_requests_are_refused()
    {
        await using var box = await SmallBox.StartAsync();
        box.Agent.Start();
        await box.RegisterAsync();
        await Status.StatusCli.WaitForSocketAsync(box.Agent);

        // The time one lone request takes here (a snapshot runs a few read-only tools), the slowest of three.
        var alone = TimeSpan.Zero;
        for (var i = 0; i < 3; i++)
        {
            var (reply, took) = await AskAsync(box.SocketPath, StatusRequest);
            Assert.True(Ok(reply), reply);
            if (took > alone) alone = took;
        }

        using var silent = await ConnectAsync(box.SocketPath);
        var crowd = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => AskAsync(box.SocketPath, StatusRequest))));
        var slowest = crowd.Max(c => c.Took);
        Assert.All(crowd, c => Assert.True(Ok(c.Reply), c.Reply));
        var figures = $"200 clients with a silent one connected: slowest answered after {slowest.TotalMilliseconds:F0} ms, median " +
            $"{crowd.Select(c => c.Took).Order().ElementAt(100).TotalMilliseconds:F0} ms; one alone: {alone.TotalMilliseconds:F0} ms";
        Console.WriteLine(figures);
        Assert.True(slowest < TimeSpan.FromSeconds(1) + 2 * alone, figures);
        // The silent client is still connected, and is told off once its 5 s are up.
        var silentReply = await ReadReplyAsync(silent, TimeSpan.FromSeconds(15));
        Assert.Contains("no request line within 5 s", silentReply, StringComparison.Ordinal);

        // 1 MiB without a newline: refused by name after the first 4 KiB; the daemon carries on.
        var big = new byte[1 << 20];
        Array.Fill(big, (byte)'{');
        var (bigReply, _) = await AskAsync(box.SocketPath, big);
        Assert.False(Ok(bigReply), bigReply);
        Assert.Contains("request too large", bigReply, StringComparison.Ordinal);
        var overLine = Encoding.UTF8.GetBytes("{\"v\":1,\"request\":\"status\",\"pad\":\"" + new string('x', 5000) + "\"}\n");
        var (overReply, _) = await AskAsync(box.SocketPath, overLine);
        Assert.Contains("request too large", overReply, StringComparison.Ordinal);
        var (after, _) = await AskAsync(box.SocketPath, StatusRequest);
        Assert.True(Ok(after), after);
        Assert.Null(box.Agent.ExitCode);
        Assert.Contains("refused a request over 4096 bytes", box.Agent.Output, StringComparison.Ordinal);
    }

    private static bool Ok(string reply)
    {
        try
        {
            using var doc = JsonDocument.Parse(reply);
            return doc.RootElement.GetProperty("ok").GetBoolean();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task<Socket> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    /// <summary>Connects, sends the request (an oversized one may be cut off by the server: that is its answer), reads the reply line.</summary>
    private static async Task<(string Reply, TimeSpan Took)> AskAsync(string path, byte[] request)
    {
        var sw = Stopwatch.StartNew();
        using var socket = await ConnectAsync(path);
        var sending = SendAllAsync(socket, request);
        var reply = await ReadReplyAsync(socket, TimeSpan.FromSeconds(30));
        var took = sw.Elapsed;
        try { await sending; } catch (SocketException) { }
        return (reply, took);
    }

    private static async Task SendAllAsync(Socket socket, byte[] data)
    {
        for (var sent = 0; sent < data.Length;)
            sent += await socket.SendAsync(data.AsMemory(sent), SocketFlags.None);
    }

    private static async Task<string> ReadReplyAsync(Socket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        while (true)
        {
            int n;
            try { n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token); }
            catch (SocketException) { break; }
            if (n == 0) break;
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            if (text.ToString().Contains('\n', StringComparison.Ordinal)) break;
        }
        return text.ToString().Trim();
    }
}
