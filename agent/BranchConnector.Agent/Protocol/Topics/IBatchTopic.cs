using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Protocol.Reading;
using BranchConnector.Agent.Reconcile;

namespace BranchConnector.Agent.Protocol.Topics;

/// <summary>
/// One batch topic, one folder (`Protocol/Topics/&lt;Name&gt;/`), registered with one line in <see cref="BatchTopics"/>:
/// how its body is decoded and validated, its part of the intent, the kernel subsystem it brings, and which
/// removals the Confirm counts under it (docs/adding-a-topic.md).
/// </summary>
internal interface IBatchTopic
{
    string Name { get; }

    /// <summary>Decodes and validates the body (every error with its JSON path into body.Errors) into the configuration.</summary>
    DesiredConfig Read(DesiredConfig config, ObjectReader body);

    /// <summary>
    /// The topic's own part of the intent, each part carrying <paramref name="origin"/>. The six topics of the first
    /// release return none: <see cref="IntentBuilder"/> composes their shared records (links, routes, firewall),
    /// which depend on each other and on the peering document.
    /// </summary>
    IEnumerable<IntentPart> Intent(DesiredConfig config, TopicOrigin origin) => [];

    /// <summary>
    /// Rules across topics, run once the whole batch is read (the body's reader is still valid then): a topic
    /// whose validity depends on another topic's body, which may come later in `commands`.
    /// </summary>
    DesiredConfig Check(DesiredConfig config, ObjectReader body) => config;

    /// <summary>The kernel subsystem the topic brings (observed and planned with the others); null: it uses the shared ones.</summary>
    IKernelSubsystem? Subsystem => null;

    /// <summary>The stage whose removals (objects nothing asks for any more) a Confirm counts under this topic.</summary>
    Stage? OwnsRemovalsOf => null;
}
