using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BranchConnector.Agent.Desired;

namespace BranchConnector.Agent.Health.Stun;

/// <summary>
/// Sends a Binding request to every server from ONE local UDP socket — the NAT classification compares
/// the mappings the servers saw for that same socket — with RFC 8489 retransmission, and collects the answers.
/// Only a valid Binding success response from the exact server address, for the exact transaction, counts.
/// </summary>
public sealed class StunClient
{
    private readonly StunTiming _timing;
    private readonly Func<AddressFamily, Socket> _socketFactory;
    private readonly string? _software;
    private readonly TimeProvider _time;

    /// <param name="timing">Retransmission schedule; <see cref="StunTiming.Rfc8489"/> when null.</param>
    /// <param name="socketFactory">Creates UDP sockets (the query socket and the local-address probe); tests
    /// pass one that creates them inside a network namespace.</param>
    /// <param name="software">SOFTWARE attribute value, e.g. "branch-connector 0.1.0".</param>
    public StunClient(StunTiming? timing = null, Func<AddressFamily, Socket>? socketFactory = null, string? software = null, TimeProvider? timeProvider = null)
    {
        _timing = timing ?? StunTiming.Rfc8489;
        _timing.Validate();
        if (software is { Length: > StunMessage.MaxSoftwareCharacters })
            throw new ArgumentException($"SOFTWARE must be at most {StunMessage.MaxSoftwareCharacters} characters", nameof(software));
        _socketFactory = socketFactory ?? (family => new Socket(family, SocketType.Dgram, ProtocolType.Udp));
        _software = software;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Queries and classifies: the Inform `stun` object.</summary>
    public async Task<StunResult> CheckAsync(IReadOnlyList<Endpoint> servers, IPAddress? localAddress = null, CancellationToken cancellationToken = default)
    {
        var query = await QueryAsync(servers, localAddress, cancellationToken).ConfigureAwait(false);
        return NatClassifier.Classify(query, _time.GetUtcNow());
    }

    /// <summary>From a new socket bound to <paramref name="localAddress"/> (0.0.0.0 when null) and an ephemeral port.</summary>
    public async Task<StunQueryResult> QueryAsync(IReadOnlyList<Endpoint> servers, IPAddress? localAddress = null, CancellationToken cancellationToken = default)
    {
        var address = localAddress ?? IPAddress.Any;
        using var socket = _socketFactory(address.AddressFamily);
        socket.Bind(new IPEndPoint(address, 0));
        return await QueryAsync(socket, servers, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// From a socket the caller created (and keeps ownership of). An unbound socket is bound to the
    /// wildcard address and an ephemeral port first.
    /// </summary>
    public async Task<StunQueryResult> QueryAsync(Socket socket, IReadOnlyList<Endpoint> servers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(servers);
        if (socket.SocketType != SocketType.Dgram) throw new ArgumentException("a UDP socket is required", nameof(socket));
        if (!socket.IsBound)
            socket.Bind(new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));

        var transactions = new List<StunTransaction>();
        var targets = new List<(Endpoint Server, IPEndPoint? Address)>();
        foreach (var server in servers)
        {
            var address = await StunServerResolver.ResolveAsync(server, socket, cancellationToken).ConfigureAwait(false);
            targets.Add((server, address));
            if (address is not null)
                transactions.Add(new StunTransaction(address, StunTransactionId.NewRandom(), _software));
        }

        if (transactions.Count > 0)
        {
            using var receiving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var receiveLoop = ReceiveLoopAsync(socket, transactions, receiving.Token);
            try
            {
                await Task.WhenAll(transactions.Select(t => RunTransactionAsync(socket, t, cancellationToken))).ConfigureAwait(false);
            }
            finally
            {
                await receiving.CancelAsync().ConfigureAwait(false);
                await receiveLoop.ConfigureAwait(false);
            }
        }

        var answers = new List<StunServerAnswer>();
        var pending = new Queue<StunTransaction>(transactions);
        foreach (var (server, address) in targets)
        {
            var t = address is null ? null : pending.Dequeue();
            answers.Add(new StunServerAnswer(server, t is null ? null : NatClassifier.Normalize(t.Target), t?.Mapped, t?.RoundTrip));
        }

        var towards = transactions.FirstOrDefault(t => t.Mapped is not null) ?? transactions.FirstOrDefault();
        var local = towards is null ? null : LocalEndPointProbe.Learn(socket, towards.Target, _socketFactory);
        return new StunQueryResult(local, answers);
    }

    private async Task RunTransactionAsync(Socket socket, StunTransaction transaction, CancellationToken cancellationToken)
    {
        transaction.StartedAt = Stopwatch.GetTimestamp();
        for (var attempt = 0; attempt < _timing.MaxRequests; attempt++)
        {
            try
            {
                await socket.SendToAsync(transaction.Request, SocketFlags.None, transaction.Target, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // No route, unreachable, buffer full: this attempt is lost like a dropped datagram; retry on schedule.
            }
            try
            {
                await transaction.Answered.WaitAsync(_timing.WaitAfter(attempt), _time, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TimeoutException)
            {
            }
        }
    }

    private static async Task ReceiveLoopAsync(Socket socket, List<StunTransaction> transactions, CancellationToken cancellationToken)
    {
        // One byte more than the largest accepted message, so an oversized datagram is seen as such, not cut to fit.
        var buffer = new byte[StunMessage.MaxMessageLength + 1];
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error or an oversized datagram on this socket: nothing to learn from it, keep listening.
                continue;
            }
            if (received.RemoteEndPoint is not IPEndPoint from) continue;
            from = NatClassifier.Normalize(from);
            var packet = buffer.AsSpan(0, received.ReceivedBytes);
            foreach (var transaction in transactions)
            {
                if (!transaction.Target.Equals(from)) continue;
                var response = StunMessage.DecodeBindingResponse(packet, transaction.Id);
                if (response is not null) transaction.Complete(response.MappedAddress);
            }
        }
    }
}
