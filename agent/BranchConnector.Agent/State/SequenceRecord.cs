using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using BranchConnector.Agent.Linux.Xfrm;

namespace BranchConnector.Agent.State;

/// <summary>One SA's line in state_dir/xfrm-sequences.json. No key material: the SA is named by link, direction, destination and SPI.</summary>
public sealed record SequenceRecordEntry(
    [property: JsonPropertyName("link")] string Link,
    [property: JsonPropertyName("dir")] string Dir,
    [property: JsonPropertyName("dst")] string Destination,
    [property: JsonPropertyName("spi")] string Spi,
    [property: JsonPropertyName("seq")] ulong Sequence);

public sealed record SequenceRecordFile(
    [property: JsonPropertyName("v")] int V,
    [property: JsonPropertyName("sas")] IReadOnlyList<SequenceRecordEntry> Sas);

[JsonSerializable(typeof(SequenceRecordFile))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class SequenceRecordJsonContext : JsonSerializerContext;

/// <summary>
/// The sequence-number record of every IPSec SA the agent installed (docs/xfrm.md, "Sequence numbers across
/// restarts"): outbound the highest number sent or reserved, inbound the highest received. Values only grow.
/// Written atomically (0600) on every change; entries stay after their SA is gone, so a key that comes back
/// (an undone rekey) still starts above them. Also holds, in memory, the SAs known to be used before and the
/// links that need new keys.
/// </summary>
public sealed class SequenceRecordStore(string stateDir)
{
    public const string FileName = "xfrm-sequences.json";
    private readonly string _path = Path.Combine(stateDir, FileName);
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly Lock _lock = new();
    private Dictionary<SaSequenceKey, ulong> _recorded = [];
    private readonly HashSet<SaSequenceKey> _usedBefore = [];
    private IReadOnlyList<RekeyNeed> _rekeyNeeds = [];

    public string FilePath => _path;

    /// <summary>False when the agent started without a readable record (first start, state_dir wiped, file unreadable).</summary>
    public bool LoadedAtStart { get; private set; }

    /// <summary>Raised when the links needing new keys change (the agent then asks the hub at once).</summary>
    public event Action? RekeyNeedsChanged;

    /// <summary>Loads the record; an unreadable one is set aside as .corrupt (its SAs then count as unknown). Returns the problem, or null.</summary>
    public async Task<string?> LoadAsync(CancellationToken ct)
    {
        var bytes = await AtomicFile.ReadIfExistsAsync(_path, ct).ConfigureAwait(false);
        if (bytes is null) return null;
        try
        {
            var file = JsonSerializer.Deserialize(bytes, SequenceRecordJsonContext.Default.SequenceRecordFile);
            var map = new Dictionary<SaSequenceKey, ulong>();
            foreach (var e in file?.Sas ?? [])
            {
                var key = new SaSequenceKey(e.Link, e.Dir == "in" ? SaDirection.Inbound : SaDirection.Outbound, e.Destination,
                    uint.Parse(e.Spi.StartsWith("0x", StringComparison.Ordinal) ? e.Spi[2..] : e.Spi, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                map[key] = Math.Max(map.GetValueOrDefault(key), e.Sequence);
            }
            lock (_lock) _recorded = map;
            LoadedAtStart = true;
            return null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException)
        {
            File.Move(_path, _path + ".corrupt", overwrite: true);
            return $"IPSec sequence record {_path} is unreadable ({ex.Message}); set aside as {_path}.corrupt: SAs used before are not installed until new keys arrive";
        }
    }

    /// <summary>What the planner needs (a copy: the planner is pure).</summary>
    public OutboundSequences Snapshot()
    {
        lock (_lock) return new OutboundSequences(new Dictionary<SaSequenceKey, ulong>(_recorded), new HashSet<SaSequenceKey>(_usedBefore));
    }

    /// <summary>Outbound SAs whose keys were used before (the last-known-good document's): without a record they are not installed.</summary>
    public void MarkUsedBefore(IEnumerable<SaSequenceKey> keys)
    {
        lock (_lock) _usedBefore.UnionWith(keys.Where(k => k.Direction == SaDirection.Outbound));
    }

    /// <summary>Raises recorded values to <paramref name="values"/> (never lowers one) and writes the file when anything grew.</summary>
    public async Task RecordAsync(IReadOnlyDictionary<SaSequenceKey, ulong> values, CancellationToken ct)
    {
        await _write.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            SequenceRecordFile file;
            lock (_lock)
            {
                var grew = false;
                foreach (var (key, value) in values)
                {
                    if (_recorded.TryGetValue(key, out var old) && old >= value) continue;
                    _recorded[key] = value;
                    grew = true;
                }
                if (!grew) return;
                file = new SequenceRecordFile(1, _recorded
                    .OrderBy(e => e.Key.LinkId, StringComparer.Ordinal).ThenBy(e => e.Key.Direction).ThenBy(e => e.Key.Spi)
                    .Select(e => new SequenceRecordEntry(e.Key.LinkId, e.Key.Direction == SaDirection.Inbound ? "in" : "out", e.Key.Destination,
                        XfrmRenderer.Hex(e.Key.Spi), e.Value))
                    .ToList());
            }
            await AtomicFile.WriteAsync(_path, JsonSerializer.SerializeToUtf8Bytes(file, SequenceRecordJsonContext.Default.SequenceRecordFile), ct).ConfigureAwait(false);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>The links whose outbound SA the agent will not install with its keys (for ConfigRequest, Inform, status).</summary>
    public IReadOnlyList<RekeyNeed> RekeyNeeds
    {
        get { lock (_lock) return _rekeyNeeds; }
    }

    public void SetRekeyNeeds(IReadOnlyList<RekeyNeed> needs)
    {
        bool grew;
        lock (_lock)
        {
            grew = needs.Except(_rekeyNeeds).Any();
            _rekeyNeeds = needs;
        }
        if (grew) RekeyNeedsChanged?.Invoke();
    }
}
