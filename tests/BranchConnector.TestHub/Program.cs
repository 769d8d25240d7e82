using BranchConnector.TestHub;

// testhub: the orchestrator stand-in for the demo and the bench (see Usage). Exit 0 ok, 1 not as expected, 2 usage.
const string Usage = """
usage: testhub VERB [--broker-ns NS] [--host H] [--port P] [--user U] --password-file F [--south VSR] [--north VSRE] ...
  publish-batch    --serial S --sequence N --file commands.json [--raw] [--expect success|failure] [--timeout s] [--json] [--no-wait]
  publish-peering  --serial S --sequence N --file groups.json   [--raw] [--expect success|failure] [--timeout s] [--json] [--no-wait]
  lifecycle        approve|decommission|rotate_keys --serial S [--wait-state STATE] [--timeout s]
  watch            [--for s]        every Confirm, State, Keepalive, TunnelStatus, Inform, one line each
  wait-confirm     --serial S --sequence N [--kind batch|e2e-peering] [--timeout s]
  wait-register    --serial S [--key wg0] [--timeout s]
  wait-state       --serial S --state active [--timeout s]
  tunnel-status    --serial S [--peer SERIAL --path direct|relayed|down] [--timeout s] [--json]
  answer-time      [--for s]        replies TimeReplies to time/request
  ha-follow        --wg-ns NS --wg-if IF --subnets A,B [--for s]   the hub's half of a pair: on HaState master, the
                   subnets move to that box's peer on the hub's WireGuard (allowed IPs); one line per move
""";

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}
var cli = new CliArgs(args.Skip(1));
try
{
    return args[0] switch
    {
        "publish-batch" => await PublishVerbs.BatchAsync(cli),
        "publish-peering" => await PublishVerbs.PeeringAsync(cli),
        "lifecycle" => await PublishVerbs.LifecycleAsync(cli),
        "watch" => await WatchVerbs.WatchAsync(cli),
        "answer-time" => await WatchVerbs.AnswerTimeAsync(cli),
        "ha-follow" => await WatchVerbs.HaFollowAsync(cli),
        "wait-confirm" => await WaitVerbs.ConfirmAsync(cli),
        "wait-register" => await WaitVerbs.RegisterAsync(cli),
        "wait-state" => await WaitVerbs.StateAsync(cli),
        "tunnel-status" => await WaitVerbs.TunnelStatusAsync(cli),
        _ => throw new UsageException($"unknown verb '{args[0]}'"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"testhub: {e.Message}\n{Usage}");
    return 2;
}
