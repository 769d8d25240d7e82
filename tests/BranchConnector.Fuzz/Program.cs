using BranchConnector.Fuzz;
using SharpFuzz;

// afl++ runs this once per fuzzing session; SharpFuzz feeds it one input after another (forkserver).
if (args.Length != 1 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: branch-connector-fuzz TARGET   (targets: {string.Join(", ", FuzzTargets.All.Keys)})");
    return 2;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
