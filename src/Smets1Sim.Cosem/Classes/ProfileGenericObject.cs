using System.Collections.Immutable;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Classes;

/// <summary>
/// Profile generic (class 7, version 1, Blue Book 4.3.6), used as an event log: buffer (array of structure rows),
/// capture_objects, capture_period, sort_method, sort_object, entries_in_use, profile_entries; methods 1 reset and
/// 2 capture. The device appends rows with <see cref="Append"/>; when profile_entries is reached the oldest row goes
/// (FIFO). Buffer reads take selective access by range (selector 1) and by entry (selector 2).
/// </summary>
public sealed class ProfileGenericObject : AttributeBagObject
{
    private readonly Func<DlmsStructure?>? _capture;

    /// <summary>Creates the object; <paramref name="capture"/> supplies a row for method 2 (capture).</summary>
    public ProfileGenericObject(CosemClassInfo info, ObisCode logicalName, IReadOnlyDictionary<int, DlmsValue> initialValues, Func<DlmsStructure?>? capture = null)
        : base(info, logicalName, WithDefaults(initialValues), readOnlyAttributes: [2, 7], transientAttributes: [7])
    {
        _capture = capture;
    }

    private static Dictionary<int, DlmsValue> WithDefaults(IReadOnlyDictionary<int, DlmsValue> values)
    {
        // Checked before anything is read from them: a bad profile gets a configuration error, not a cast failure.
        if ((values.TryGetValue(2, out DlmsValue? buffer) && (buffer is not DlmsArray rows || rows.Items.Any(r => r is not DlmsStructure)))
            || (values.TryGetValue(3, out DlmsValue? captures) && captures is not DlmsArray)
            || (values.TryGetValue(8, out DlmsValue? entries) && entries is not DlmsDoubleLongUnsigned))
        {
            throw new CosemConfigurationException("attributes 2, 3 and 8 of a profile generic must be an array of structures, an array and a double-long-unsigned");
        }

        var all = values.ToDictionary(p => p.Key, p => p.Value);
        all.TryAdd(2, DlmsValue.Array());
        all.TryAdd(3, DlmsValue.Array());
        all.TryAdd(4, new DlmsDoubleLongUnsigned(0));
        all.TryAdd(5, new DlmsEnum(1)); // fifo
        all.TryAdd(6, DlmsValue.Structure(new DlmsLongUnsigned(0), DlmsValue.OctetString(new byte[6]), new DlmsInteger(0), new DlmsLongUnsigned(0)));
        all.TryAdd(8, new DlmsDoubleLongUnsigned(100));
        return all;
    }

    /// <summary>The rows in the buffer, oldest first.</summary>
    public ImmutableArray<DlmsValue> Rows => ((DlmsArray)Value(2)).Items;

    /// <summary>Appends a row, dropping the oldest when the buffer is full.</summary>
    public void Append(DlmsStructure row)
    {
        ArgumentNullException.ThrowIfNull(row);
        int capacity = (int)Math.Min(((DlmsDoubleLongUnsigned)Value(8)).Value, 100_000);
        ImmutableArray<DlmsValue> rows = Rows.Add(row);
        if (capacity > 0 && rows.Length > capacity)
        {
            rows = rows.RemoveRange(0, rows.Length - capacity);
        }

        Store(2, new DlmsArray(rows));
    }

    /// <inheritdoc />
    protected override GetResult GetAttribute(int attributeId, SelectiveAccessDescriptor? access, CosemContext context)
    {
        if (attributeId == 7)
        {
            // entries_in_use is the buffer's length: derived on read, never stored (one durable write per event, not two).
            return access is null ? GetResult.Success(new DlmsDoubleLongUnsigned((uint)Rows.Length)) : GetResult.Failure(DataAccessResult.ScopeOfAccessViolated);
        }

        if (attributeId != 2 || access is null)
        {
            return base.GetAttribute(attributeId, access, context);
        }

        return access.AccessSelector switch
        {
            1 => ByRange(access.AccessParameters),
            2 => ByEntry(access.AccessParameters),
            _ => GetResult.Failure(DataAccessResult.OtherReason),
        };
    }

    /// <inheritdoc />
    protected override ActionOutcome InvokeMethod(int methodId, DlmsValue? parameters, CosemContext context)
    {
        switch (methodId)
        {
            case 1:
                Store(2, DlmsValue.Array());
                return ActionOutcome.Success();
            case 2 when _capture?.Invoke() is DlmsStructure row:
                Append(row);
                return ActionOutcome.Success();
            default:
                return ActionOutcome.Failure(ActionResult.TemporaryFailure);
        }
    }

    // entry_descriptor {from_entry u32, to_entry u32 (0 = last), from_selected_value u16, to_selected_value u16 (0 = last)}, 1-based.
    private GetResult ByEntry(DlmsValue parameters)
    {
        if (parameters is not DlmsStructure { Items: [DlmsDoubleLongUnsigned from, DlmsDoubleLongUnsigned to, DlmsLongUnsigned fromColumn, DlmsLongUnsigned toColumn] })
        {
            return GetResult.Failure(DataAccessResult.TypeUnmatched);
        }

        ImmutableArray<DlmsValue> rows = Rows;
        long first = Math.Max(1, (long)from.Value);
        long last = to.Value == 0 ? rows.Length : Math.Min(to.Value, rows.Length);
        IEnumerable<DlmsValue> selected = first > last ? [] : rows.Skip((int)first - 1).Take((int)(last - first + 1));
        return Columns(selected, fromColumn.Value, toColumn.Value);
    }

    // range_descriptor {restricting_object capture_object_definition, from_value, to_value, selected_values array}.
    private GetResult ByRange(DlmsValue parameters)
    {
        if (parameters is not DlmsStructure { Items: [DlmsStructure restricting, DlmsValue fromValue, DlmsValue toValue, DlmsArray selectedValues] })
        {
            return GetResult.Failure(DataAccessResult.TypeUnmatched);
        }

        ImmutableArray<DlmsValue> captureObjects = Value(3) is DlmsArray c ? c.Items : [];
        int column = captureObjects.IndexOf(restricting);
        if (column < 0)
        {
            return GetResult.Failure(DataAccessResult.OtherReason);
        }

        // selected_values: the capture objects (columns) wanted, in their buffer order; empty = every column.
        var wanted = new List<int>();
        foreach (DlmsValue definition in selectedValues.Items)
        {
            int index = captureObjects.IndexOf(definition);
            if (index < 0)
            {
                return GetResult.Failure(DataAccessResult.OtherReason);
            }

            wanted.Add(index);
        }

        wanted.Sort();
        IEnumerable<DlmsValue> selected = Rows.Where(row => row is DlmsStructure s && column < s.Items.Length
            && Compare(s.Items[column], fromValue) is >= 0 && Compare(s.Items[column], toValue) is <= 0);
        if (wanted.Count == 0)
        {
            return GetResult.Success(new DlmsArray([.. selected]));
        }

        return GetResult.Success(new DlmsArray([.. selected.Select(row =>
            (DlmsValue)new DlmsStructure([.. wanted.Where(i => i < ((DlmsStructure)row).Items.Length).Select(i => ((DlmsStructure)row).Items[i])]))]));
    }

    private static int? Compare(DlmsValue a, DlmsValue b)
    {
        if (a is DlmsDateTime x && b is DlmsDateTime y)
        {
            return x.Value.TryToDateTimeOffset(out DateTimeOffset tx, true) && y.Value.TryToDateTimeOffset(out DateTimeOffset ty, true) ? tx.CompareTo(ty) : null;
        }

        return ToNumber(a) is decimal na && ToNumber(b) is decimal nb ? na.CompareTo(nb) : null;
    }

    private static decimal? ToNumber(DlmsValue v) => v switch
    {
        DlmsDoubleLongUnsigned x => x.Value,
        DlmsDoubleLong x => x.Value,
        DlmsLongUnsigned x => x.Value,
        DlmsLong x => x.Value,
        DlmsUnsigned x => x.Value,
        DlmsInteger x => x.Value,
        DlmsLong64 x => x.Value,
        DlmsLong64Unsigned x => x.Value,
        _ => null,
    };

    private static GetResult Columns(IEnumerable<DlmsValue> rows, int fromColumn, int toColumn)
    {
        if (fromColumn == 0 && toColumn == 0)
        {
            return GetResult.Success(new DlmsArray([.. rows]));
        }

        int first = Math.Max(1, fromColumn);
        var result = new List<DlmsValue>();
        foreach (DlmsValue row in rows)
        {
            if (row is not DlmsStructure s)
            {
                return GetResult.Failure(DataAccessResult.OtherReason);
            }

            int last = toColumn == 0 ? s.Items.Length : Math.Min(toColumn, s.Items.Length);
            result.Add(new DlmsStructure(first > last ? [] : [.. s.Items.Skip(first - 1).Take(last - first + 1)]));
        }

        return GetResult.Success(new DlmsArray([.. result]));
    }
}
