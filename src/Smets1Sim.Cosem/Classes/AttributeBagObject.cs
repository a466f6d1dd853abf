using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Classes;

/// <summary>
/// An interface-class instance whose attributes are plain stored values (Data, Push setup, SAP assignment,
/// Account, Credit, Charge, Token gateway, Disconnect control, Extended register...). A SET must keep the
/// attribute's type (Blue Book: type-unmatched otherwise); an attribute that has never had a value takes the
/// first type written. Subclasses add method behaviour and computed attributes.
/// <para>
/// Two separate ideas: an attribute read-only to clients (a SET is refused, device logic still changes it, and it is
/// persisted, e.g. a disconnect control's output_state) and a transient attribute (derived from configuration at
/// start-up and never persisted, e.g. the SAP assignment list).
/// </para>
/// </summary>
public class AttributeBagObject : CosemObject
{
    private readonly CosemClassInfo _info;
    private readonly Dictionary<int, DlmsValue> _values = [];
    private readonly HashSet<int> _readOnly;
    private readonly HashSet<int> _transient;

    /// <summary>Creates the object with initial attribute values (attribute id → value).</summary>
    public AttributeBagObject(
        CosemClassInfo info,
        ObisCode logicalName,
        IReadOnlyDictionary<int, DlmsValue> initialValues,
        IEnumerable<int>? readOnlyAttributes = null,
        IEnumerable<int>? transientAttributes = null)
        : base(logicalName)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(initialValues);
        _info = info;
        _readOnly = [.. readOnlyAttributes ?? []];
        _transient = [.. transientAttributes ?? []];
        foreach ((int id, DlmsValue value) in initialValues)
        {
            if (id < 2 || id > info.AttributeCount)
            {
                throw new CosemConfigurationException($"attribute {id}: {info.Name} (class {info.ClassId}) has attributes 2..{info.AttributeCount}");
            }

            _values[id] = value ?? throw new CosemConfigurationException($"attribute {id}: no value");
        }
    }

    /// <inheritdoc />
    public override ushort ClassId => _info.ClassId;

    /// <inheritdoc />
    public override byte Version => _info.Version;

    /// <inheritdoc />
    public override int AttributeCount => _info.AttributeCount;

    /// <inheritdoc />
    public override int MethodCount => _info.MethodCount;

    /// <summary>The stored value of an attribute (null-data when none was ever set).</summary>
    public DlmsValue Value(int attributeId) => _values.TryGetValue(attributeId, out DlmsValue? v) ? v : DlmsValue.Null;

    /// <summary>Stores a value from device logic (not a client SET) and raises <see cref="CosemObject.AttributeChanged"/>.</summary>
    public void Store(int attributeId, DlmsValue value)
    {
        _values[attributeId] = value;
        OnAttributeChanged(attributeId);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<int, DlmsValue> ExportState()
        => _values.Where(p => !_transient.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value);

    /// <inheritdoc />
    public override void ImportState(IReadOnlyDictionary<int, DlmsValue> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach ((int id, DlmsValue value) in state)
        {
            // A value restores when it keeps the attribute's type, or gives an attribute that was null-data its first type.
            if (id >= 2 && id <= AttributeCount && !_transient.Contains(id)
                && (!_values.TryGetValue(id, out DlmsValue? current) || current is DlmsNull || current.Type == value.Type))
            {
                _values[id] = value;
            }
        }
    }

    /// <inheritdoc />
    protected override GetResult GetAttribute(int attributeId, SelectiveAccessDescriptor? access, CosemContext context)
        => access is null ? GetResult.Success(Value(attributeId)) : GetResult.Failure(DataAccessResult.ScopeOfAccessViolated);

    /// <inheritdoc />
    protected override DataAccessResult SetAttribute(int attributeId, DlmsValue value, SelectiveAccessDescriptor? access, CosemContext context)
    {
        if (_readOnly.Contains(attributeId))
        {
            return DataAccessResult.ReadWriteDenied;
        }

        if (access is not null)
        {
            return DataAccessResult.ScopeOfAccessViolated;
        }

        if (_values.TryGetValue(attributeId, out DlmsValue? current) && current is not DlmsNull && !SameShape(current, value))
        {
            return DataAccessResult.TypeUnmatched;
        }

        _values[attributeId] = value;
        return DataAccessResult.Success;
    }

    /// <summary>Same type, and for structures the same element types (arrays may change length).</summary>
    private static bool SameShape(DlmsValue current, DlmsValue value)
    {
        if (current.Type != value.Type)
        {
            return false;
        }

        return current is not DlmsStructure a || value is not DlmsStructure b
            || (a.Items.Length == b.Items.Length && a.Items.Zip(b.Items).All(p => p.First is DlmsNull || p.First.Type == p.Second.Type));
    }
}
