namespace BranchConnector.Agent.Protocol;

/// <summary>
/// One problem found in an inbound document. <see cref="Path"/> is the JSON path of the offending value
/// (`commands[2].body.routes[5].destination`); <see cref="Index"/> and <see cref="Topic"/> name the batch
/// command it belongs to, for the Confirm's `error.index` / `error.topic`. Messages never carry secret values.
/// </summary>
public sealed record ValidationError(string Code, string Path, string Message, int? Index = null, string? Topic = null)
{
    /// <summary>The `validate` CLI line: `&lt;code&gt; &lt;path&gt;: &lt;message&gt;`.</summary>
    public override string ToString() => Path.Length == 0 ? $"{Code}: {Message}" : $"{Code} {Path}: {Message}";
}
