using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem;

/// <summary>
/// One COSEM interface-class instance (Blue Book 4.1): attributes numbered from 1 (attribute 1 is always the
/// logical name), methods numbered from 1. Subclasses implement their class's attributes and methods; access
/// rights are not checked here (they belong to the association, see <see cref="AccessRights"/>), so a device
/// can serve the same object to associations with different rights.
/// <para>Not thread-safe: the owning logical device serialises calls.</para>
/// </summary>
public abstract class CosemObject
{
    /// <summary>Creates the object with its logical name.</summary>
    protected CosemObject(ObisCode logicalName)
    {
        LogicalName = logicalName;
    }

    /// <summary>Interface class id (e.g. 1 Data, 64 Security setup).</summary>
    public abstract ushort ClassId { get; }

    /// <summary>Interface class version.</summary>
    public abstract byte Version { get; }

    /// <summary>Logical name (attribute 1).</summary>
    public ObisCode LogicalName { get; }

    /// <summary>Number of attributes the class defines (attribute ids 1..AttributeCount).</summary>
    public abstract int AttributeCount { get; }

    /// <summary>Number of methods the class defines (method ids 1..MethodCount; 0 when none).</summary>
    public abstract int MethodCount { get; }

    /// <summary>
    /// Raised after an attribute changed through <see cref="Set"/> or a method, with the attribute id, so the
    /// device can persist it. Live values that follow the clock do not raise it.
    /// </summary>
    public event Action<CosemObject, int>? AttributeChanged;

    /// <summary>Reads attribute <paramref name="attributeId"/>.</summary>
    public GetResult Get(int attributeId, SelectiveAccessDescriptor? access, CosemContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (attributeId < 1 || attributeId > AttributeCount)
        {
            return GetResult.Failure(DataAccessResult.ObjectUndefined);
        }

        if (attributeId == 1)
        {
            return access is null ? GetResult.Success(LogicalName.ToOctetString()) : GetResult.Failure(DataAccessResult.ScopeOfAccessViolated);
        }

        return GetAttribute(attributeId, access, context);
    }

    /// <summary>Writes attribute <paramref name="attributeId"/>.</summary>
    public DataAccessResult Set(int attributeId, DlmsValue value, SelectiveAccessDescriptor? access, CosemContext context)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(context);
        if (attributeId < 1 || attributeId > AttributeCount)
        {
            return DataAccessResult.ObjectUndefined;
        }

        if (attributeId == 1)
        {
            return DataAccessResult.ReadWriteDenied;
        }

        DataAccessResult result = SetAttribute(attributeId, value, access, context);
        if (result == DataAccessResult.Success)
        {
            OnAttributeChanged(attributeId);
        }

        return result;
    }

    /// <summary>Invokes method <paramref name="methodId"/>.</summary>
    public ActionOutcome Invoke(int methodId, DlmsValue? parameters, CosemContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (methodId < 1 || methodId > MethodCount)
        {
            return ActionOutcome.Failure(ActionResult.ObjectUndefined);
        }

        return InvokeMethod(methodId, parameters, context);
    }

    /// <summary>The attributes whose values are state to persist (id → value), excluding the logical name.</summary>
    public virtual IReadOnlyDictionary<int, DlmsValue> ExportState() => new Dictionary<int, DlmsValue>();

    /// <summary>Restores what <see cref="ExportState"/> produced; unknown ids or mismatched types are ignored.</summary>
    public virtual void ImportState(IReadOnlyDictionary<int, DlmsValue> state)
    {
    }

    /// <summary>Reads attribute 2..AttributeCount.</summary>
    protected abstract GetResult GetAttribute(int attributeId, SelectiveAccessDescriptor? access, CosemContext context);

    /// <summary>Writes attribute 2..AttributeCount. The default refuses.</summary>
    protected virtual DataAccessResult SetAttribute(int attributeId, DlmsValue value, SelectiveAccessDescriptor? access, CosemContext context)
        => DataAccessResult.ReadWriteDenied;

    /// <summary>Invokes method 1..MethodCount. The default refuses.</summary>
    protected virtual ActionOutcome InvokeMethod(int methodId, DlmsValue? parameters, CosemContext context)
        => ActionOutcome.Failure(ActionResult.ReadWriteDenied);

    /// <summary>Raises <see cref="AttributeChanged"/>.</summary>
    protected void OnAttributeChanged(int attributeId) => AttributeChanged?.Invoke(this, attributeId);
}

/// <summary>The result of a GET on one attribute: a value, or a data-access-result that is not success.</summary>
public readonly record struct GetResult(DlmsValue? Value, DataAccessResult Result)
{
    /// <summary>A successful read.</summary>
    public static GetResult Success(DlmsValue value) => new(value ?? throw new ArgumentNullException(nameof(value)), DataAccessResult.Success);

    /// <summary>A refused read.</summary>
    public static GetResult Failure(DataAccessResult result) => new(null, result);
}

/// <summary>The result of an ACTION: action-result plus optional return data.</summary>
public readonly record struct ActionOutcome(ActionResult Result, DlmsValue? ReturnData)
{
    /// <summary>Success without return data.</summary>
    public static ActionOutcome Success() => new(ActionResult.Success, null);

    /// <summary>Success with return data.</summary>
    public static ActionOutcome Success(DlmsValue returnData) => new(ActionResult.Success, returnData);

    /// <summary>A refused action.</summary>
    public static ActionOutcome Failure(ActionResult result) => new(result, null);
}
