namespace BranchConnector.Agent.Linux.Xfrm;

/// <summary>
/// An SA replaced by a rekey that stays installed until <see cref="RemoveAfter"/>, so packets the peer still
/// sends with the old SPI are accepted while it switches. The caller holds the set between plans.
/// </summary>
public sealed record RetiringSa(string Destination, uint Spi, uint Reqid, DateTimeOffset RemoveAfter)
{
    public SaKey Identity => new(Destination, Spi);
}
