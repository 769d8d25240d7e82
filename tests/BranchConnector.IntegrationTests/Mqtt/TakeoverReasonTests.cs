using BranchConnector.Agent.Mqtt;
using static BranchConnector.IntegrationTests.Mqtt.MqttTestKit;

namespace BranchConnector.IntegrationTests.Mqtt;

public sealed class TakeoverReasonTests
{
    [Fact]
    public async Task A_session_taken_over_disconnect_sets_the_conflict_at_once_and_uses_the_long_backoff()
    {
        await using var broker = new FakeTakeoverBroker();
        var serial = NewSerial();
        await using var running = new Running(Options(serial, broker.Url) with
        {
            IdentityConflictBackoff = TimeSpan.FromSeconds(2),
            KicksBeforeConflict = 100, // only the reason code may trigger it here
        });

        await WaitUntilAsync(() => running.Session.Status.IdentityConflict, TimeSpan.FromSeconds(10), () => running.Logger.All);
        Assert.Equal(MqttSessionStatus.IdentityConflictText, running.Session.Status.LastError);
        Assert.Contains("session taken over", running.Logger.All, StringComparison.Ordinal);

        await WaitUntilAsync(() => broker.Connects.Count >= 2, TimeSpan.FromSeconds(10), () => running.Logger.All);
        var connects = broker.Connects;
        Assert.True(connects[1] - connects[0] >= TimeSpan.FromSeconds(1), $"reconnected after {connects[1] - connects[0]}, before half the conflict back-off");
    }
}
