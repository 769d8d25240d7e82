using System.Text.Json;
using System.Text.Json.Serialization;
using BranchConnector.Agent.Linux.Routes;

namespace BranchConnector.Agent.State;

/// <summary>
/// What the agent created that cannot be recognised by a mark of its own (routes carry proto 188, rules a
/// priority band, chains a BC- name, xfrm a reqid band): the tunnel devices it made, the addresses it added and
/// the sysctls it changed (with the value it found).
/// Written BEFORE the objects are created, so a crash mid-apply still leaves a record the next run cleans up.
/// </summary>
public sealed record OwnershipRecord(
    [property: JsonPropertyName("devices")] IReadOnlyList<string> Devices,
    [property: JsonPropertyName("addresses")] IReadOnlyList<OwnedAddressEntry> Addresses)
{
    public static readonly OwnershipRecord Empty = new([], []);

    /// <summary>
    /// Sysctls the agent changed. A journal written before they were recorded has no such key: the serializer then
    /// initialises the property with null, read as none.
    /// </summary>
    [JsonPropertyName("sysctls")]
    public IReadOnlyList<ChangedSysctl> Sysctls
    {
        get => _sysctls;
        init => _sysctls = value ?? [];
    }

    private readonly IReadOnlyList<ChangedSysctl> _sysctls = [];

    public bool SameAs(OwnershipRecord other) =>
        Devices.SequenceEqual(other.Devices) && Addresses.SequenceEqual(other.Addresses) && Sysctls.SequenceEqual(other.Sysctls);

    public OwnershipRecord With(IEnumerable<string> devices, IEnumerable<OwnedAddressEntry> addresses) =>
        new(Devices.Union(devices).Order(StringComparer.Ordinal).ToList(), Addresses.Union(addresses).OrderBy(a => a.Link, StringComparer.Ordinal).ThenBy(a => a.Cidr, StringComparer.Ordinal).ToList())
        {
            Sysctls = Sysctls,
        };
}

public sealed record OwnedAddressEntry([property: JsonPropertyName("link")] string Link, [property: JsonPropertyName("cidr")] string Cidr);

[JsonSerializable(typeof(OwnershipRecord))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class OwnershipJsonContext : JsonSerializerContext;

public sealed class OwnershipJournal(string stateDir, PersistenceHealth? health = null)
{
    private readonly PersistenceHealth _health = health ?? new PersistenceHealth();
    private readonly string _path = Path.Combine(stateDir, "ownership.json");

    public OwnershipRecord Current { get; private set; } = OwnershipRecord.Empty;
    private bool _unsaved;

    /// <summary>
    /// Loads the journal. An unreadable one (a torn disk, a hand edit) is set aside as ownership.json.corrupt and
    /// the agent goes on without it: it then removes only what it can recognise by its own marks. Returns the
    /// problem for the log, or null.
    /// </summary>
    public async Task<string?> LoadAsync(CancellationToken ct)
    {
        var bytes = await AtomicFile.ReadIfExistsAsync(_path, ct).ConfigureAwait(false);
        if (bytes is null)
        {
            Current = OwnershipRecord.Empty;
            return null;
        }
        try
        {
            Current = JsonSerializer.Deserialize(bytes, OwnershipJsonContext.Default.OwnershipRecord) ?? OwnershipRecord.Empty;
            return null;
        }
        catch (JsonException ex)
        {
            Current = OwnershipRecord.Empty;
            File.Move(_path, _path + ".corrupt", overwrite: true);
            return $"ownership journal {_path} is unreadable ({ex.Message}); set aside as {_path}.corrupt";
        }
    }

    public async Task SaveAsync(OwnershipRecord record, CancellationToken ct)
    {
        if (!_unsaved && (record == Current || record.SameAs(Current))) return;
        // On a full disk the record is kept in memory all the same: this run still knows what it owns; only a
        // crash before the next successful save would forget it (the health record says so).
        _unsaved = !await _health.TryAsync(Path.GetFileName(_path), () => AtomicFile.WriteAsync(_path, JsonSerializer.SerializeToUtf8Bytes(record, OwnershipJsonContext.Default.OwnershipRecord), ct)).ConfigureAwait(false);
        Current = record;
    }

    public void Wipe()
    {
        AtomicFile.DeleteWithBackup(_path);
        Current = OwnershipRecord.Empty;
    }
}
