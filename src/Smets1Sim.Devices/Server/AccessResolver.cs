using Smets1Sim.Cosem;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Server;

/// <summary>
/// Access resolution for one association: finds the object a descriptor names, checks its class and the
/// association's rights, and only then reads, writes or invokes it (Blue Book 4.4.3, object_list and access rights).
/// </summary>
internal sealed class AccessResolver(LogicalDevice device, AssociationSettings settings)
{
    public GetResult Read(CosemAttributeDescriptor descriptor, SelectiveAccessDescriptor? access, CosemContext context)
    {
        if (!TryResolve(descriptor.ClassId, descriptor.InstanceId, out CosemObject obj, out AccessRights rights, out DataAccessResult failure))
        {
            return GetResult.Failure(failure);
        }

        return rights.CanRead(descriptor.AttributeId)
            ? obj.Get(descriptor.AttributeId, access, context)
            : GetResult.Failure(descriptor.AttributeId < 1 || descriptor.AttributeId > obj.AttributeCount ? DataAccessResult.ObjectUndefined : DataAccessResult.ReadWriteDenied);
    }

    public DataAccessResult Write(CosemAttributeDescriptor descriptor, DlmsValue value, SelectiveAccessDescriptor? access, CosemContext context)
    {
        if (!TryResolve(descriptor.ClassId, descriptor.InstanceId, out CosemObject obj, out AccessRights rights, out DataAccessResult failure))
        {
            return failure;
        }

        return rights.CanWrite(descriptor.AttributeId)
            ? obj.Set(descriptor.AttributeId, value, access, context)
            : descriptor.AttributeId < 1 || descriptor.AttributeId > obj.AttributeCount ? DataAccessResult.ObjectUndefined : DataAccessResult.ReadWriteDenied;
    }

    public ActionOutcome Invoke(CosemMethodDescriptor method, DlmsValue? parameters, CosemContext context)
    {
        if (!TryResolve(method.ClassId, method.InstanceId, out CosemObject obj, out AccessRights rights, out DataAccessResult failure))
        {
            return ActionOutcome.Failure(failure == DataAccessResult.ObjectClassInconsistent ? ActionResult.ObjectClassInconsistent : ActionResult.ObjectUndefined);
        }

        if (method.MethodId < 1 || method.MethodId > obj.MethodCount)
        {
            return ActionOutcome.Failure(ActionResult.ObjectUndefined);
        }

        if (!rights.CanInvoke(method.MethodId))
        {
            return ActionOutcome.Failure(ActionResult.ReadWriteDenied);
        }

        // HLS pass 3/4 on an established association is refused: it was done already.
        if (IsReplyToHlsAuthentication(method))
        {
            return ActionOutcome.Failure(ActionResult.ReadWriteDenied);
        }

        return obj.Invoke(method.MethodId, parameters, context);
    }

    /// <summary>True for reply_to_HLS_authentication of the current association (HLS pass 3).</summary>
    public static bool IsReplyToHlsAuthentication(CosemMethodDescriptor method)
        => method.ClassId == CosemClassIds.AssociationLn && method.MethodId == CosemMethodIds.ReplyToHlsAuthentication
            && method.InstanceId == WellKnownObis.CurrentAssociation;

    /// <summary>The objects this association may see, with its rights (Association LN object_list).</summary>
    public IReadOnlyList<ObjectListEntry> ObjectList
        => [.. settings.Rights.Where(r => device.Objects.ContainsKey(r.Key))
            .Select(r => (Object: device.Objects[r.Key], Rights: r.Value))
            .OrderBy(e => e.Object.ClassId).ThenBy(e => e.Object.LogicalName.ToString(), StringComparer.Ordinal)
            .Select(e => new ObjectListEntry(e.Object.ClassId, e.Object.Version, e.Object.LogicalName, e.Rights))];

    private bool TryResolve(ushort classId, ObisCode instance, out CosemObject obj, out AccessRights rights, out DataAccessResult failure)
    {
        obj = null!;
        rights = null!;
        if (!settings.Rights.TryGetValue(instance, out AccessRights? r) || !device.Objects.TryGetValue(instance, out CosemObject? o))
        {
            failure = DataAccessResult.ObjectUndefined;
            return false;
        }

        if (o.ClassId != classId)
        {
            failure = DataAccessResult.ObjectClassInconsistent;
            return false;
        }

        obj = o;
        rights = r;
        failure = DataAccessResult.Success;
        return true;
    }
}
