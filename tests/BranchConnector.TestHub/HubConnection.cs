using BranchConnector.IntegrationTests.Fixtures;

namespace BranchConnector.TestHub;

/// <summary>
/// The broker the lab runs (mosquitto in the hub namespace) as the fixtures see it: `--broker-ns`, `--host`,
/// `--port`, `--user` and `--password-file` (the hub's own account; read from a file, never from argv).
/// </summary>
public static class HubConnection
{
    public static MosquittoBroker Attach(CliArgs args)
    {
        var user = args.Get("user", IntegrationTests.Fixtures.TestHub.User);
        var password = File.ReadAllText(args.Required("password-file")).Trim();
        var options = new MosquittoBrokerOptions
        {
            Namespace = args.Optional("broker-ns"),
            ListenAddress = args.Get("host", "127.0.0.1"),
            Users = new Dictionary<string, string> { [user] = password },
        };
        return MosquittoBroker.Attach(options, (int)(args.Optional("port") is { } p ? long.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 1883));
    }

    public static string User(CliArgs args) => args.Get("user", IntegrationTests.Fixtures.TestHub.User);

    public static string South(CliArgs args) => args.Get("south", "VSR");

    public static string North(CliArgs args) => args.Get("north", "VSRE");
}
