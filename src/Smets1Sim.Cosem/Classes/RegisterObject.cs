using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Classes;

/// <summary>
/// Register (class 3, Blue Book 4.3.2) and Extended register (class 4, 4.3.3): value, scaler_unit
/// (structure {integer scaler, enum unit}), and for class 4 status and capture_time; method 1 reset.
/// With a live rate the value advances with the device clock: value = base + rate × elapsed hours, in
/// units of 10^scaler (e.g. Wh with scaler 0), so a meter reads plausibly without any background task.
/// </summary>
public sealed class RegisterObject : AttributeBagObject
{
    private readonly double _ratePerHour;
    private DateTimeOffset _since;
    private decimal _base;

    /// <summary>Creates a register; <paramref name="ratePerHour"/> in scaled units per hour (0 = static).</summary>
    public RegisterObject(CosemClassInfo info, ObisCode logicalName, IReadOnlyDictionary<int, DlmsValue> initialValues, double ratePerHour, DateTimeOffset since)
        : base(info, logicalName, WithDefaults(info, initialValues))
    {
        if (info.ClassId is not (3 or 4))
        {
            throw new CosemConfigurationException($"class {info.ClassId} is not a register");
        }

        if (!IsNumeric(Value(2)))
        {
            throw new CosemConfigurationException($"attribute 2: a register value must be numeric, got {Value(2).Type}");
        }

        _ratePerHour = ratePerHour;
        _since = since;
        _base = ToDecimal(Value(2));
    }

    private static Dictionary<int, DlmsValue> WithDefaults(CosemClassInfo info, IReadOnlyDictionary<int, DlmsValue> values)
    {
        var all = values.ToDictionary(p => p.Key, p => p.Value);
        all.TryAdd(2, new DlmsDoubleLongUnsigned(0));
        all.TryAdd(3, DlmsValue.Structure(new DlmsInteger(0), new DlmsEnum(255)));
        if (info.ClassId == 4)
        {
            all.TryAdd(4, new DlmsUnsigned(0));
            all.TryAdd(5, new DlmsDateTime(CosemDateTime.FromDateTimeOffset(DateTimeOffset.UnixEpoch)));
        }

        return all;
    }

    /// <summary>
    /// The stored value of a live register is its base; key 0 (never an attribute id) carries the instant the live
    /// value counts from, so a restart continues from where the register was, resets and SETs included.
    /// </summary>
    public override IReadOnlyDictionary<int, DlmsValue> ExportState()
    {
        var state = base.ExportState().ToDictionary(p => p.Key, p => p.Value);
        state[2] = FromDecimal(Value(2), _base);
        state[0] = new DlmsDateTime(CosemDateTime.FromDateTimeOffset(_since.ToUniversalTime()));
        return state;
    }

    /// <inheritdoc />
    public override void ImportState(IReadOnlyDictionary<int, DlmsValue> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        base.ImportState(state.Where(p => p.Key != 0).ToDictionary(p => p.Key, p => p.Value));
        _base = ToDecimal(Value(2));
        if (state.TryGetValue(0, out DlmsValue? since) && since is DlmsDateTime origin && origin.Value.TryToDateTimeOffset(out DateTimeOffset t))
        {
            _since = t;
        }
    }

    /// <inheritdoc />
    protected override GetResult GetAttribute(int attributeId, SelectiveAccessDescriptor? access, CosemContext context)
    {
        if (attributeId == 2 && access is null && _ratePerHour != 0)
        {
            double hours = (context.Time.GetUtcNow() - _since).TotalHours;
            return GetResult.Success(FromDecimal(Value(2), _base + (decimal)(Math.Max(0, hours) * _ratePerHour)));
        }

        return base.GetAttribute(attributeId, access, context);
    }

    /// <inheritdoc />
    protected override DataAccessResult SetAttribute(int attributeId, DlmsValue value, SelectiveAccessDescriptor? access, CosemContext context)
    {
        DataAccessResult result = base.SetAttribute(attributeId, value, access, context);
        if (result == DataAccessResult.Success && attributeId == 2)
        {
            Rebase(ToDecimal(value), context);
        }

        return result;
    }

    /// <inheritdoc />
    protected override ActionOutcome InvokeMethod(int methodId, DlmsValue? parameters, CosemContext context)
    {
        // reset (data: integer 0): the value goes to 0 of its type (Blue Book 4.3.2).
        Store(2, FromDecimal(Value(2), 0));
        Rebase(0, context);
        if (ClassId == 4)
        {
            Store(5, new DlmsDateTime(CosemDateTime.FromDateTimeOffset(context.Time.GetUtcNow())));
        }

        return ActionOutcome.Success();
    }

    private void Rebase(decimal value, CosemContext context)
    {
        _base = value;
        _since = context.Time.GetUtcNow();
    }

    private static bool IsNumeric(DlmsValue value) => value is DlmsDoubleLong or DlmsDoubleLongUnsigned or DlmsLong or DlmsLongUnsigned
        or DlmsInteger or DlmsUnsigned or DlmsLong64 or DlmsLong64Unsigned or DlmsFloat32 or DlmsFloat64;

    private static decimal ToDecimal(DlmsValue value) => value switch
    {
        DlmsDoubleLong v => v.Value,
        DlmsDoubleLongUnsigned v => v.Value,
        DlmsLong v => v.Value,
        DlmsLongUnsigned v => v.Value,
        DlmsInteger v => v.Value,
        DlmsUnsigned v => v.Value,
        DlmsLong64 v => v.Value,
        DlmsLong64Unsigned v => v.Value,
        DlmsFloat32 v => (decimal)v.Value,
        DlmsFloat64 v => (decimal)v.Value,
        _ => 0,
    };

    private static DlmsValue FromDecimal(DlmsValue like, decimal value)
    {
        decimal whole = decimal.Truncate(value);
        return like switch
        {
            DlmsDoubleLong => new DlmsDoubleLong((int)Math.Clamp(whole, int.MinValue, int.MaxValue)),
            DlmsLong => new DlmsLong((short)Math.Clamp(whole, short.MinValue, short.MaxValue)),
            DlmsLongUnsigned => new DlmsLongUnsigned((ushort)Math.Clamp(whole, 0, ushort.MaxValue)),
            DlmsInteger => new DlmsInteger((sbyte)Math.Clamp(whole, sbyte.MinValue, sbyte.MaxValue)),
            DlmsUnsigned => new DlmsUnsigned((byte)Math.Clamp(whole, 0, byte.MaxValue)),
            DlmsLong64 => new DlmsLong64((long)Math.Clamp(whole, long.MinValue, long.MaxValue)),
            DlmsLong64Unsigned => new DlmsLong64Unsigned((ulong)Math.Clamp(whole, 0, ulong.MaxValue)),
            DlmsFloat32 => new DlmsFloat32((float)value),
            DlmsFloat64 => new DlmsFloat64((double)value),
            _ => new DlmsDoubleLongUnsigned((uint)Math.Clamp(whole, 0, uint.MaxValue)),
        };
    }
}
