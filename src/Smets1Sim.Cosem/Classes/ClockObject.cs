using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Classes;

/// <summary>
/// Clock (class 8, Blue Book 4.5.1). The time follows the device's <see cref="TimeProvider"/> plus an offset that a
/// SET of attribute 2 or shift_time changes; the other attributes are stored. Methods: 1 adjust_to_quarter,
/// 2 adjust_to_measuring_period, 3 adjust_to_minute, 4 adjust_to_preset_time, 5 preset_adjusting_time,
/// 6 shift_time (long, -900..900 s).
/// </summary>
public sealed class ClockObject : AttributeBagObject
{
    private TimeSpan _offset;
    private CosemDateTime? _preset;

    /// <summary>Creates the clock; initial values may set attributes 3..9.</summary>
    public ClockObject(CosemClassInfo info, ObisCode logicalName, IReadOnlyDictionary<int, DlmsValue> initialValues)
        : base(info, logicalName, WithDefaults(initialValues))
    {
        if (initialValues.ContainsKey(2))
        {
            throw new CosemConfigurationException("attribute 2: the clock time follows the device clock and cannot be given");
        }
    }

    private static Dictionary<int, DlmsValue> WithDefaults(IReadOnlyDictionary<int, DlmsValue> values)
    {
        var all = values.ToDictionary(p => p.Key, p => p.Value);
        DlmsValue unspecified = new DlmsDateTime(CosemDateTime.Read(Convert.FromHexString("FFFFFFFFFFFFFFFFFF800000")));
        all.TryAdd(3, new DlmsLong(0));
        all.TryAdd(4, new DlmsUnsigned(0));
        all.TryAdd(5, unspecified);
        all.TryAdd(6, unspecified);
        all.TryAdd(7, new DlmsInteger(60));
        all.TryAdd(8, new DlmsBoolean(true));
        all.TryAdd(9, new DlmsEnum(1)); // internal crystal
        return all;
    }

    /// <summary>The time this clock shows.</summary>
    public DateTimeOffset Now(CosemContext context) => context.Time.GetUtcNow() + _offset;

    /// <inheritdoc />
    public override IReadOnlyDictionary<int, DlmsValue> ExportState()
    {
        var state = base.ExportState().ToDictionary(p => p.Key, p => p.Value);
        state[2] = new DlmsLong64((long)_offset.TotalMilliseconds); // the offset, in milliseconds
        return state;
    }

    /// <inheritdoc />
    public override void ImportState(IReadOnlyDictionary<int, DlmsValue> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.TryGetValue(2, out DlmsValue? offset) && offset is DlmsLong64 milliseconds)
        {
            _offset = TimeSpan.FromMilliseconds(milliseconds.Value);
        }

        base.ImportState(state.Where(p => p.Key != 2).ToDictionary(p => p.Key, p => p.Value));
    }

    /// <inheritdoc />
    protected override GetResult GetAttribute(int attributeId, SelectiveAccessDescriptor? access, CosemContext context)
        => attributeId == 2
            ? GetResult.Success(new DlmsDateTime(CosemDateTime.FromDateTimeOffset(Now(context), Value(4) is DlmsUnsigned status ? (ClockStatus)status.Value : ClockStatus.None)))
            : base.GetAttribute(attributeId, access, context);

    /// <inheritdoc />
    protected override DataAccessResult SetAttribute(int attributeId, DlmsValue value, SelectiveAccessDescriptor? access, CosemContext context)
    {
        if (attributeId != 2)
        {
            return base.SetAttribute(attributeId, value, access, context);
        }

        if (value is not DlmsDateTime dateTime)
        {
            return DataAccessResult.TypeUnmatched;
        }

        if (!dateTime.Value.TryToDateTimeOffset(out DateTimeOffset time, assumeUtcWhenDeviationUnspecified: true))
        {
            return DataAccessResult.OtherReason;
        }

        _offset = time - context.Time.GetUtcNow();
        return DataAccessResult.Success;
    }

    /// <inheritdoc />
    protected override ActionOutcome InvokeMethod(int methodId, DlmsValue? parameters, CosemContext context)
    {
        DateTimeOffset now = Now(context);
        switch (methodId)
        {
            case 1:
                Adjust(context, RoundToMinutes(now, 15));
                return ActionOutcome.Success();
            case 2:
            case 3:
                Adjust(context, RoundToMinutes(now, 1));
                return ActionOutcome.Success();
            case 4 when _preset is { } preset && preset.TryToDateTimeOffset(out DateTimeOffset target, true):
                Adjust(context, target);
                _preset = null;
                return ActionOutcome.Success();
            case 4:
                return ActionOutcome.Failure(ActionResult.OtherReason);
            case 5 when parameters is DlmsStructure { Items: [DlmsDateTime preset, DlmsDateTime, DlmsDateTime] }:
                _preset = preset.Value;
                return ActionOutcome.Success();
            case 6 when parameters is DlmsLong { Value: >= -900 and <= 900 } shift:
                _offset += TimeSpan.FromSeconds(shift.Value);
                OnAttributeChanged(2);
                return ActionOutcome.Success();
            default:
                return ActionOutcome.Failure(ActionResult.TypeUnmatched);
        }
    }

    private void Adjust(CosemContext context, DateTimeOffset target)
    {
        _offset = target - context.Time.GetUtcNow();
        OnAttributeChanged(2);
    }

    private static DateTimeOffset RoundToMinutes(DateTimeOffset value, int minutes)
    {
        long ticks = TimeSpan.FromMinutes(minutes).Ticks;
        return new DateTimeOffset((value.UtcTicks + (ticks / 2)) / ticks * ticks, TimeSpan.Zero);
    }
}
