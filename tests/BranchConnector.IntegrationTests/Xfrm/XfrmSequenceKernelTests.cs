using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.Xfrm;
using BranchConnector.Agent.Tools;
using BranchConnector.IntegrationTests.Fixtures;
using BranchConnector.IntegrationTests.Health;

namespace BranchConnector.IntegrationTests.Xfrm;

/// <summary>
/// The rendered ESN/replay/start-number lines against the real iproute2 and kernel, in a namespace. On a kernel
/// with ESP the SAs install and read back with their start numbers; on one without (this machine) the kernel
/// checks the replay attributes before the algorithm, so "AEAD not found" (and not "esn flag set without
/// replay-window" or an iproute2 argument error) shows the sequence part was accepted.
/// </summary>
public sealed class XfrmSequenceKernelTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly NetnsWorld _world = new();
    private string _ns = "";
    private ICommandRunner _runner = null!;

    public async Task InitializeAsync()
    {
        _ns = await _world.AddNamespaceAsync("xs");
        _runner = new NamespacedCommandRunner(new ProcessCommandRunner(), _ns);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private static readonly DesiredPeering Peering = new([], [new IpsecGroup("pg-2", "dc-links", "mesh", PeeringRole.MeshPeer, 4500, "198.51.100.2",
        new[] { new IpsecLink("l-1", "E-1", "198.51.100.9", 4500, new[] { "192.168.10.0/24" }.ToEquatableList(), new[] { "10.40.0.0/16" }.ToEquatableList(),
            new IpsecSa(0xc001, new Secret(new string('a', 72))), new IpsecSa(0xc002, new Secret(new string('b', 72)))) }.ToEquatableList())]);

    [Fact]
    public async Task Start_numbers_and_the_esn_window_are_accepted_by_the_kernel()
    {
        var sas = XfrmIntent.From(Peering).Sas;
        var outKey = SaSequenceKey.Of(sas.Single(s => s.Direction == SaDirection.Outbound));
        var inKey = SaSequenceKey.Of(sas.Single(s => s.Direction == SaDirection.Inbound));
        var recorded = new Dictionary<SaSequenceKey, ulong> { [outKey] = 0x1_0000_0500, [inKey] = 0x2_0000_0010 };
        var plan = XfrmPlanner.Plan(Peering, await new XfrmObserver(_runner).ObserveAsync(CancellationToken.None), [], Now,
            new OutboundSequences(recorded, new HashSet<SaSequenceKey> { outKey }));
        var states = Assert.Single(plan.States.Commands);
        var result = await _runner.RunAsync(states.Request, CancellationToken.None);

        if (result.Succeeded)
        {
            var observed = XfrmStateParser.Parse((await _runner.RunAsync(XfrmStateParser.RequestWithoutKeys, CancellationToken.None)).Stdout);
            var outbound = Assert.Single(observed, s => s.Spi == 0xc001);
            Assert.Equal(0x1_0000_0500UL + SaSequences.Margin, outbound.OutboundSequence);
            Assert.True(outbound.Esn);
            Assert.Equal(SaSequences.ReplayWindow, outbound.ReplayWindow);
            Assert.Equal(0x2_0000_0010UL, Assert.Single(observed, s => s.Spi == 0xc002).InboundSequence);
            return;
        }
        Assert.Contains("Requested AEAD algorithm not found", result.Stderr);

        // The contrast that makes the above mean something: the same line without a window fails at the replay check.
        var line = states.Request.Stdin!.Split('\n')[0].Replace($"replay-window {SaSequences.ReplayWindow} ", "", StringComparison.Ordinal);
        var noWindow = await _runner.RunAsync(new CommandRequest("ip", ["-batch", "-"]) { Stdin = line + "\n", StdinIsSecret = true }, CancellationToken.None);
        Assert.False(noWindow.Succeeded);
        Assert.Contains("esn flag set without replay-window", noWindow.Stderr);
    }
}
