using System.Collections.Immutable;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Classes;

/// <summary>
/// Association LN (class 15, version 1, Blue Book 4.4.3) as "current association" 0-0:40.0.0.255: every attribute
/// describes the association the request arrived on (<see cref="CosemContext.Association"/>).
/// </summary>
public sealed class AssociationLnObject(CosemClassInfo info, ObisCode logicalName) : CosemObject(logicalName)
{
    /// <inheritdoc />
    public override ushort ClassId => info.ClassId;

    /// <inheritdoc />
    public override byte Version => info.Version;

    /// <inheritdoc />
    public override int AttributeCount => info.AttributeCount;

    /// <inheritdoc />
    public override int MethodCount => info.MethodCount;

    /// <inheritdoc />
    protected override GetResult GetAttribute(int attributeId, SelectiveAccessDescriptor? access, CosemContext context)
    {
        IAssociationView a = context.Association;
        return attributeId switch
        {
            2 => GetResult.Success(ObjectList(a.ObjectList)),
            3 => GetResult.Success(DlmsValue.Structure(new DlmsInteger(unchecked((sbyte)a.ClientSap)), new DlmsLongUnsigned(a.ServerSap))),
            4 => GetResult.Success(ObjectIdentifier(1, a.ApplicationContextId)),
            5 => GetResult.Success(XdlmsContextInfo(a.XdlmsContext)),
            6 => GetResult.Success(ObjectIdentifier(2, a.MechanismId)),
            7 => GetResult.Failure(DataAccessResult.ReadWriteDenied), // secret: write-only
            8 => GetResult.Success(new DlmsEnum(a.AssociationStatus)),
            9 => GetResult.Success(a.SecuritySetupReference is ObisCode ss ? ss.ToOctetString() : DlmsValue.OctetString([0, 0, 0, 0, 0, 0])),
            _ => GetResult.Failure(DataAccessResult.ObjectUndefined),
        };
    }

    /// <inheritdoc />
    protected override ActionOutcome InvokeMethod(int methodId, DlmsValue? parameters, CosemContext context)
        => methodId == 1 ? context.Association.ReplyToHlsAuthentication(parameters) : ActionOutcome.Failure(ActionResult.ReadWriteDenied);

    /// <summary>
    /// object_list (Blue Book 4.4.3): array of structure {class_id long-unsigned, version unsigned, logical_name
    /// octet-string, access_rights structure {attribute_access array of {attribute_id integer, access_mode enum,
    /// access_selectors null-data}, method_access array of {method_id integer, access_mode enum}}}; version 1 of
    /// the class carries method access_mode as an enum (version 0 used a boolean).
    /// </summary>
    public static DlmsArray ObjectList(IReadOnlyList<ObjectListEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var items = ImmutableArray.CreateBuilder<DlmsValue>(entries.Count);
        foreach (ObjectListEntry e in entries)
        {
            int attributeCount = CosemClassCatalog.TryGet(e.ClassId, out CosemClassInfo? classInfo) ? classInfo.AttributeCount : e.Rights.Attributes.Length;
            int methodCount = classInfo?.MethodCount ?? e.Rights.Methods.Length;
            DlmsArray attributes = new([.. Enumerable.Range(1, attributeCount).Select(id => (DlmsValue)DlmsValue.Structure(
                new DlmsInteger((sbyte)id), new DlmsEnum((byte)e.Rights.Attribute(id)), DlmsValue.Null))]);
            DlmsArray methods = new([.. Enumerable.Range(1, methodCount).Select(id => (DlmsValue)DlmsValue.Structure(
                new DlmsInteger((sbyte)id), new DlmsEnum((byte)e.Rights.Method(id))))]);
            items.Add(DlmsValue.Structure(new DlmsLongUnsigned(e.ClassId), new DlmsUnsigned(e.Version), e.LogicalName.ToOctetString(), DlmsValue.Structure(attributes, methods)));
        }

        return new DlmsArray(items.MoveToImmutable());
    }

    // {joint-iso-ccitt(2) country(16) country-name(756) identified-organization(5) DLMS-UA(8) kind id}
    private static DlmsStructure ObjectIdentifier(byte kind, byte id) => DlmsValue.Structure(
        new DlmsUnsigned(2), new DlmsUnsigned(16), new DlmsLongUnsigned(756), new DlmsUnsigned(5), new DlmsUnsigned(8), new DlmsUnsigned(kind), new DlmsUnsigned(id));

    private static DlmsStructure XdlmsContextInfo((uint Conformance, ushort MaxReceivePduSize, byte DlmsVersion) context)
    {
        byte[] bits = [(byte)(context.Conformance >> 16), (byte)(context.Conformance >> 8), (byte)context.Conformance];
        return DlmsValue.Structure(
            new DlmsBitString(bits, 24),
            new DlmsLongUnsigned(context.MaxReceivePduSize),
            new DlmsLongUnsigned(context.MaxReceivePduSize),
            new DlmsUnsigned(context.DlmsVersion),
            new DlmsInteger(0),
            DlmsValue.OctetString([]));
    }
}
