using System.Collections.Frozen;
using System.Collections.Immutable;
using Smets1Sim.Cosem;
using Smets1Sim.Cosem.Classes;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Runtime;

/// <summary>
/// The record policy of a device's event log 0-0:99.98.0.255 (profile generic, rows {clock time, event code,
/// events counted}), its last event code 0-0:96.11.0.255 and its entry count 0-0:96.15.0.255 (docs/fleet-file.md,
/// "Event log"). Anyone who can open a TCP connection can cause an authentication failure, so failures must never
/// push key events out of the log:
/// <list type="bullet">
/// <item>failures in one <see cref="FailureEntryInterval"/> share one entry whose third column counts them, so a
/// flood costs one row per interval, not one per attempt;</item>
/// <item>when the buffer is full, the oldest failure entry goes first; a key event is evicted only by a newer one
/// when no failure entry is left.</item>
/// </list>
/// Durability is the caller's: <see cref="LogicalDevice"/> stores key events at once and failures behind.
/// </summary>
internal sealed class DeviceEventLog
{
    /// <summary>Authentication failures within this span of the entry's first one are counted in that entry.</summary>
    public static readonly TimeSpan FailureEntryInterval = TimeSpan.FromMinutes(1);

    private static readonly ObisCode EventLogObis = new(0, 0, 99, 98, 0, 255);
    private static readonly ObisCode LastEventCodeObis = new(0, 0, 96, 11, 0, 255);
    private static readonly ObisCode EntryCountObis = new(0, 0, 96, 15, 0, 255);

    private readonly ProfileGenericObject? _log;
    private readonly AttributeBagObject? _lastCode;
    private readonly AttributeBagObject? _entryCount;
    private readonly TimeProvider _time;

    // The failure entry still open for counting: when it started and how many it holds. Only ever the newest row.
    private DateTimeOffset? _openFailureSince;
    private uint _openFailureCount;

    /// <summary>Binds to the log objects the profile has (any of them may be absent).</summary>
    public DeviceEventLog(FrozenDictionary<ObisCode, CosemObject> objects, TimeProvider time)
    {
        _log = objects.GetValueOrDefault(EventLogObis) as ProfileGenericObject;
        _lastCode = objects.GetValueOrDefault(LastEventCodeObis) is AttributeBagObject { ClassId: 1 } last ? last : null;
        _entryCount = objects.GetValueOrDefault(EntryCountObis) is AttributeBagObject { ClassId: 1 } count ? count : null;
        _time = time;
    }

    /// <summary>Records one event. Call under the device's gate.</summary>
    public void Record(DeviceEvent code)
    {
        _lastCode?.Store(2, new DlmsLongUnsigned((ushort)code));
        if (_log is null)
        {
            return;
        }

        DateTimeOffset now = _time.GetUtcNow();
        ImmutableArray<DlmsValue> rows = _log.Rows;
        if (code == DeviceEvent.AuthenticationFailed && _openFailureSince is DateTimeOffset since
            && now - since < FailureEntryInterval && !rows.IsEmpty && IsCode(rows[^1], DeviceEvent.AuthenticationFailed))
        {
            _openFailureCount = _openFailureCount == uint.MaxValue ? uint.MaxValue : _openFailureCount + 1;
            _entryCount?.Store(2, new DlmsDoubleLongUnsigned(_openFailureCount));
            _log.Store(2, new DlmsArray(rows.SetItem(rows.Length - 1, Row(since, code, _openFailureCount, rows[^1]))));
            return;
        }

        bool failure = code == DeviceEvent.AuthenticationFailed;
        _openFailureSince = failure ? now : null;
        _openFailureCount = failure ? 1u : 0u;
        _entryCount?.Store(2, new DlmsDoubleLongUnsigned(1));
        _log.Store(2, new DlmsArray(Evict(rows.Add(Row(now, code, 1, null)))));
    }

    private ImmutableArray<DlmsValue> Evict(ImmutableArray<DlmsValue> rows)
    {
        int capacity = (int)Math.Min(_log!.Value(8) is DlmsDoubleLongUnsigned c ? c.Value : 100u, 100_000u);
        while (capacity > 0 && rows.Length > capacity)
        {
            int oldestFailure = -1;
            for (int i = 0; i < rows.Length - 1; i++)
            {
                if (IsCode(rows[i], DeviceEvent.AuthenticationFailed))
                {
                    oldestFailure = i;
                    break;
                }
            }

            rows = rows.RemoveAt(oldestFailure >= 0 ? oldestFailure : 0);
        }

        return rows;
    }

    // A row has as many columns as the log has capture objects: {clock, code} in a two-column log, with the count
    // of events the entry stands for as third column when the profile captures 0-0:96.15.0.255.
    private DlmsStructure Row(DateTimeOffset at, DeviceEvent code, uint count, DlmsValue? previous)
    {
        int columns = _log!.Value(3) is DlmsArray captures ? captures.Items.Length : 2;
        DlmsValue time = previous is DlmsStructure { Items.Length: > 0 } p ? p.Items[0] : new DlmsDateTime(CosemDateTime.FromDateTimeOffset(at));
        return columns >= 3
            ? DlmsValue.Structure(time, new DlmsLongUnsigned((ushort)code), new DlmsDoubleLongUnsigned(count))
            : DlmsValue.Structure(time, new DlmsLongUnsigned((ushort)code));
    }

    private static bool IsCode(DlmsValue row, DeviceEvent code)
        => row is DlmsStructure { Items.Length: >= 2 } s && s.Items[1] is DlmsLongUnsigned c && c.Value == (ushort)code;
}
