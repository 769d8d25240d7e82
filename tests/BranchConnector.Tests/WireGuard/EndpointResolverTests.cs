using System.Net;
using System.Net.Sockets;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.WireGuard;

namespace BranchConnector.Tests.WireGuard;

public class EndpointResolverTests
{
    [Fact]
    public async Task Names_are_resolved_once_until_forgotten_then_again()
    {
        var answers = new Queue<IPAddress>([IPAddress.Parse("203.0.113.10"), IPAddress.Parse("203.0.113.20")]);
        var lookups = 0;
        var resolver = new EndpointResolver((_, _) => { lookups++; return Task.FromResult(new[] { answers.Dequeue() }); });
        var hub = new Endpoint("hub.example.net", 51820);

        Assert.Equal("203.0.113.10:51820", (await resolver.ResolveAsync(hub, CancellationToken.None)).Address);
        Assert.Equal("203.0.113.10:51820", (await resolver.ResolveAsync(hub, CancellationToken.None)).Address);
        Assert.Equal(1, lookups);

        resolver.Forget(hub);
        Assert.Equal("203.0.113.20:51820", (await resolver.ResolveAsync(hub, CancellationToken.None)).Address);
        Assert.Equal(2, lookups);
    }

    [Fact]
    public async Task A_dns_failure_is_a_warning_not_an_exception_and_literals_need_no_lookup()
    {
        var resolver = new EndpointResolver((_, _) => throw new SocketException((int)SocketError.HostNotFound));
        var failed = await resolver.ResolveAsync(new Endpoint("nowhere.example.net", 51820), CancellationToken.None);
        Assert.Null(failed.Address);
        Assert.Contains("DNS lookup failed", failed.Warning, StringComparison.Ordinal);

        var literal = await resolver.ResolveAsync(new Endpoint("2001:db8::1", 51820), CancellationToken.None);
        Assert.Equal("[2001:db8::1]:51820", literal.Address);
    }
}
