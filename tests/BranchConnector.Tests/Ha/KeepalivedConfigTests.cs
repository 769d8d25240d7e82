using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Ha;
using BranchConnector.Agent.Linux.WireGuard;

namespace BranchConnector.Tests.Ha;

public class KeepalivedConfigTests
{
    private static readonly HaPaths Paths = HaPaths.From("/run/bc", "/var/lib/bc");
    private static readonly HaSpec Spec = new("site-42", 42, "lan0", ["192.168.10.1/24"], 150, ["192.168.10.3", "192.168.10.4"], 200, false, "192.168.10.2");

    [Fact]
    public void Renders_VRRP_v3_unicast_backup_start_with_both_track_files_and_the_fifo()
    {
        const string expected = """
            # Written by branch-connector from the batch's ha topic; rewritten on every apply, do not edit.
            global_defs {
              router_id BC-0001
              vrrp_version 3
              notify_fifo /run/bc/ha/notify.fifo
              vrrp_garp_master_delay 1
              vrrp_garp_master_repeat 3
            }

            vrrp_track_file bc_backbone {
              file /run/bc/ha/backbone-down
              weight 0
            }

            vrrp_track_file bc_drain {
              file /run/bc/ha/drained
              weight 0
            }

            vrrp_instance bc_42 {
              state BACKUP
              interface lan0
              virtual_router_id 42
              priority 150
              advert_int 0.2
              nopreempt
              unicast_src_ip 192.168.10.2
              unicast_peer {
                192.168.10.3
                192.168.10.4
              }
              virtual_ipaddress {
                192.168.10.1/24 dev lan0
              }
              track_file {
                bc_backbone
                bc_drain
              }
            }

            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), KeepalivedConfig.Render(Spec, Paths, "BC-0001").ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Preempt_leaves_nopreempt_out_and_an_odd_serial_cannot_break_the_syntax()
    {
        var text = KeepalivedConfig.Render(Spec with { Preempt = true }, Paths, "BC 1 }\n{");
        Assert.DoesNotContain("nopreempt", text, StringComparison.Ordinal);
        Assert.Contains("router_id BC_1____\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, "0.01")]
    [InlineData(200, "0.2")]
    [InlineData(1000, "1")]
    [InlineData(1250, "1.25")]
    [InlineData(40950, "40.95")]
    public void Advert_interval_in_seconds_to_the_centisecond(int ms, string text) => Assert.Equal(text, KeepalivedConfig.AdvertInt(ms));

    [Theory]
    [InlineData("INSTANCE \"bc_42\" MASTER 150", "bc_42", VrrpEvent.Master, 150)]
    [InlineData("INSTANCE \"bc_42\" BACKUP 100\n", "bc_42", VrrpEvent.Backup, 100)]
    [InlineData("INSTANCE \"bc_7\" FAULT 150", "bc_7", VrrpEvent.Fault, 150)]
    [InlineData("INSTANCE \"bc_7\" STOP 0", "bc_7", VrrpEvent.Stop, 0)]
    public void Notify_lines(string line, string instance, VrrpEvent ev, int priority) =>
        Assert.Equal(new NotifyLine(instance, ev, priority), NotifyLine.Parse(line));

    [Theory]
    [InlineData("")]
    [InlineData("GROUP \"g\" MASTER")]
    [InlineData("INSTANCE bc_42 MASTER 150")]
    [InlineData("INSTANCE \"bc_42\" DELETED 150")]
    [InlineData("INSTANCE \"\" MASTER")]
    public void Other_lines_are_not_events(string line) => Assert.Null(NotifyLine.Parse(line));

    [Theory]
    [InlineData(VrrpEvent.Master, false, false, "master", null)]
    [InlineData(VrrpEvent.Backup, true, true, "backup", null)]
    [InlineData(VrrpEvent.Fault, true, true, "draining", HaStateMachine.ReasonDrained)]
    [InlineData(VrrpEvent.Fault, false, true, "fault", HaStateMachine.ReasonBackboneDown)]
    [InlineData(VrrpEvent.Fault, false, false, "fault", HaStateMachine.ReasonInterfaceDown)]
    [InlineData(VrrpEvent.Stop, false, false, "stopped", "keepalived stopped")]
    public void States_and_reasons(VrrpEvent ev, bool drained, bool backboneDown, string state, string? reason) =>
        Assert.Equal((state, reason), HaStateMachine.Map(ev, new HaConditions(drained, backboneDown)));

    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly BackboneSpec Backbone = new("wg0", true, ["10.255.0.2/32"], 51820, 1420, HubKind.DedicatedEdge,
        new HubPeer("hub", "HUBKEY", null, [], 25, null), []);

    private static ObservedWgDevice Device(DateTimeOffset? handshake, string key = "HUBKEY") =>
        new("wg0", "ME", 51820, 0, [new ObservedWgPeer(key, null, null, [], handshake, 0, 0, 25)]);

    [Fact]
    public void Backbone_verdicts()
    {
        var timeout = TimeSpan.FromSeconds(180);
        Assert.False(BackboneVerdict.IsDown(Backbone, Device(Now.AddSeconds(-10)), timeout, Now));
        Assert.True(BackboneVerdict.IsDown(Backbone, Device(Now.AddSeconds(-181)), timeout, Now));
        Assert.True(BackboneVerdict.IsDown(Backbone, Device(null), timeout, Now));
        Assert.True(BackboneVerdict.IsDown(Backbone, Device(Now, key: "OTHER"), timeout, Now));
        Assert.True(BackboneVerdict.IsDown(Backbone, null, timeout, Now));
        Assert.True(BackboneVerdict.IsDown(Backbone with { Enabled = false }, Device(Now), timeout, Now));
        Assert.False(BackboneVerdict.IsDown(null, null, timeout, Now));
        Assert.False(BackboneVerdict.IsDown(Backbone with { Kind = HubKind.None, Hub = null }, null, timeout, Now));
    }
}

public class HaStateJsonTests
{
    [Fact]
    public void HaState_has_the_spec_keys_and_null_reason_is_written()
    {
        var at = new DateTimeOffset(2026, 12, 2, 12, 0, 0, 123, TimeSpan.Zero);
        Assert.Equal("""{"v":1,"serial":"BC-1","group":"site-42","vrid":42,"state":"master","priority":150,"since":"2026-12-02T12:00:00.123Z","reason":null}""",
            System.Text.Encoding.UTF8.GetString(BranchConnector.Agent.Protocol.ProtocolJson.Serialize(new HaStatePayload("BC-1", "site-42", 42, "master", 150, at, null))));
    }
}
