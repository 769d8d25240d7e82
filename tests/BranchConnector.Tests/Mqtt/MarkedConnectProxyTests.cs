using System.Net;
using System.Net.Sockets;
using System.Text;
using BranchConnector.Agent.Mqtt;

namespace BranchConnector.Tests.Mqtt;

/// <summary>The SOCKS5 relay libmosquitto connects through, driven by a hand-written client (RFC 1928/1929 bytes).</summary>
public class MarkedConnectProxyTests
{
    [Fact]
    public async Task A_client_with_the_password_is_relayed_both_ways()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        await using var proxy = new MarkedConnectProxy(51820, TimeSpan.FromSeconds(5));

        using var client = await ConnectAsync(proxy, proxy.Password, "127.0.0.1", port);
        Assert.Equal(0, await ReadReplyAsync(client));
        using var accepted = await server.AcceptSocketAsync();
        await client.SendAsync(Encoding.ASCII.GetBytes("ping"));
        Assert.Equal("ping", await ReadAsync(accepted, 4));
        await accepted.SendAsync(Encoding.ASCII.GetBytes("pong"));
        Assert.Equal("pong", await ReadAsync(client, 4));
    }

    [Fact]
    public async Task A_refused_connection_is_answered_with_the_socks_refused_code()
    {
        using var placeholder = new TcpListener(IPAddress.Loopback, 0);
        placeholder.Start();
        var closedPort = ((IPEndPoint)placeholder.LocalEndpoint).Port;
        placeholder.Stop();
        await using var proxy = new MarkedConnectProxy(51820, TimeSpan.FromSeconds(5));

        using var client = await ConnectAsync(proxy, proxy.Password, "127.0.0.1", closedPort);
        Assert.Equal(5, await ReadReplyAsync(client));
    }

    [Fact]
    public async Task A_wrong_password_gets_no_connection()
    {
        await using var proxy = new MarkedConnectProxy(51820, TimeSpan.FromSeconds(5));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
        await client.SendAsync(new byte[] { 5, 1, 2 });
        Assert.Equal(new byte[] { 5, 2 }, await ReadBytesAsync(client, 2));
        await client.SendAsync(Auth("not-the-password"));
        Assert.Equal(new byte[] { 1, 1 }, await ReadBytesAsync(client, 2));
        Assert.Equal(0, await client.ReceiveAsync(new byte[1]));
    }

    [Fact]
    public async Task Without_user_password_authentication_offered_the_relay_refuses()
    {
        await using var proxy = new MarkedConnectProxy(51820, TimeSpan.FromSeconds(5));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
        await client.SendAsync(new byte[] { 5, 1, 0 });
        Assert.Equal(new byte[] { 5, 0xFF }, await ReadBytesAsync(client, 2));
    }

    private static async Task<Socket> ConnectAsync(MarkedConnectProxy proxy, string password, string host, int port)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(IPAddress.Loopback, proxy.Port);
        await client.SendAsync(new byte[] { 5, 1, 2 });
        Assert.Equal(new byte[] { 5, 2 }, await ReadBytesAsync(client, 2));
        await client.SendAsync(Auth(password));
        Assert.Equal(new byte[] { 1, 0 }, await ReadBytesAsync(client, 2));
        var name = Encoding.ASCII.GetBytes(host);
        await client.SendAsync(new byte[] { 5, 1, 0, 3, (byte)name.Length }.Concat(name).Concat(new[] { (byte)(port >> 8), (byte)port }).ToArray());
        return client;
    }

    private static byte[] Auth(string password)
    {
        var user = Encoding.ASCII.GetBytes("branch-connector");
        var pass = Encoding.ASCII.GetBytes(password);
        return new byte[] { 1, (byte)user.Length }.Concat(user).Append((byte)pass.Length).Concat(pass).ToArray();
    }

    private static async Task<int> ReadReplyAsync(Socket client) => (await ReadBytesAsync(client, 10))[1];

    private static async Task<string> ReadAsync(Socket socket, int count) => Encoding.ASCII.GetString(await ReadBytesAsync(socket, count));

    private static async Task<byte[]> ReadBytesAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        var read = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token);
            if (n == 0) break;
            read += n;
        }
        return buffer[..read];
    }
}
