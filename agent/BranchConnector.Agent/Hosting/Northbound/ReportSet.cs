using BranchConnector.Agent.Health.Stun;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Hosting.Northbound;

/// <summary>The northbound reports of one daemon, wired once from the composition root.</summary>
public sealed record ReportSet(
    Reports Payloads, StateReport State, RegisterReport Register, TunnelStatusReport Tunnels, InformReport Inform,
    KeepaliveReport Keepalive, TimeSync Time)
{
    public static ReportSet Create(AgentServices s, Func<bool> brokerConnected)
    {
        var payloads = new Reports(s.State, new BoxFacts(s.Settings.Serial, s.WireGuard.Name, s.FirewallBackendName), s.Runner, s.Keys, s.Sequences, s.Store.Health, s.Clock, brokerConnected) { HaState = () => s.Ha.Current };
        var state = new StateReport(s.Publisher, payloads, s.Topics, s.Clock);
        var time = new TimeSync(s.Publisher, s.Topics, s.State, s.Runner, s.Clock, s.Loggers.CreateLogger<TimeSync>());
        var stun = new StunClient(software: $"{AgentInfo.ProgramName} {AgentInfo.Version}", timeProvider: s.Clock,
            // The control plane never enters a full tunnel (docs/routing.md).
            socketFactory: Mqtt.SocketMark.UdpFactory(Linux.Routes.FullTunnel.DefaultFwmark));
        return new ReportSet(
            payloads,
            state,
            new RegisterReport(s.Publisher, payloads, s.Topics),
            new TunnelStatusReport(s.Publisher, payloads, s.Topics, s.State, s.Resolver, state, s.Clock, s.Loggers.CreateLogger<TunnelStatusReport>()),
            new InformReport(s.Publisher, payloads, s.Topics, s.State, time, stun, s.Clock, s.Loggers.CreateLogger<InformReport>()),
            new KeepaliveReport(s.Publisher, payloads, s.Topics, s.State, s.Clock),
            time);
    }
}
