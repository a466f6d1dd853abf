using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Classes;

/// <summary>
/// Security setup (class 64, version 1, Blue Book 4.4.7): policy, suite and system titles come from the device
/// (<see cref="CosemContext.Security"/>); method 1 security_activate, method 2 key_transfer. Methods 3-8
/// (certificates, key agreement) belong to suites 1 and 2 and are refused.
/// </summary>
public sealed class SecuritySetupObject(CosemClassInfo info, ObisCode logicalName) : CosemObject(logicalName)
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
        if (context.Security is not ISecurityHost security)
        {
            return GetResult.Failure(DataAccessResult.ObjectUnavailable);
        }

        return attributeId switch
        {
            2 => GetResult.Success(new DlmsEnum((byte)security.SecurityPolicy)),
            3 => GetResult.Success(new DlmsEnum(security.SecuritySuite)),
            4 => GetResult.Success(DlmsValue.OctetString(security.ClientSystemTitle.Span)),
            5 => GetResult.Success(DlmsValue.OctetString(security.ServerSystemTitle.Span)),
            6 => GetResult.Success(DlmsValue.Array()),
            _ => GetResult.Failure(DataAccessResult.ObjectUndefined),
        };
    }

    /// <inheritdoc />
    protected override ActionOutcome InvokeMethod(int methodId, DlmsValue? parameters, CosemContext context)
    {
        if (context.Security is not ISecurityHost security)
        {
            return ActionOutcome.Failure(ActionResult.ObjectUnavailable);
        }

        return methodId switch
        {
            1 when parameters is DlmsEnum policy => new ActionOutcome(security.SecurityActivate(policy.Value), null),
            1 => ActionOutcome.Failure(ActionResult.TypeUnmatched),
            2 => KeyTransfer(security, parameters),
            _ => ActionOutcome.Failure(ActionResult.ReadWriteDenied),
        };
    }

    /// <summary>
    /// key_transfer data (Blue Book 4.4.7): array of structure {enum key_id, octet-string key_wrapped}; even one key
    /// is an array of one. Any other shape is type-unmatched and reaches no key.
    /// </summary>
    private static ActionOutcome KeyTransfer(ISecurityHost security, DlmsValue? parameters)
    {
        if (parameters is not DlmsArray { Items.Length: > 0 and <= 4 } array)
        {
            return ActionOutcome.Failure(ActionResult.TypeUnmatched);
        }

        var keys = new List<(byte, ReadOnlyMemory<byte>)>(array.Items.Length);
        foreach (DlmsValue item in array.Items)
        {
            if (item is not DlmsStructure { Items: [DlmsEnum id, DlmsOctetString wrapped] })
            {
                return ActionOutcome.Failure(ActionResult.TypeUnmatched);
            }

            keys.Add((id.Value, wrapped.Value.AsMemory()));
        }

        return new ActionOutcome(security.KeyTransfer(keys), null);
    }
}
