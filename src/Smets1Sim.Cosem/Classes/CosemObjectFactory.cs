using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Classes;

/// <summary>Behaviour options of an object built from a profile.</summary>
public sealed record CosemObjectOptions
{
    /// <summary>Registers: value increase per hour, in scaled units (0 = static).</summary>
    public double LiveRatePerHour { get; init; }

    /// <summary>Registers: the instant the live value starts counting from.</summary>
    public DateTimeOffset LiveSince { get; init; }
}

/// <summary>Builds the interface-class instance for a (class id, logical name, initial values) triple.</summary>
public static class CosemObjectFactory
{
    /// <summary>Creates the object; an unknown class or a bad attribute throws <see cref="CosemConfigurationException"/>.</summary>
    public static CosemObject Create(ushort classId, ObisCode logicalName, IReadOnlyDictionary<int, DlmsValue> initialValues, CosemObjectOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(initialValues);
        options ??= new CosemObjectOptions();
        if (!CosemClassCatalog.TryGet(classId, out CosemClassInfo info))
        {
            throw new CosemConfigurationException($"class {classId} is not supported (supported: {string.Join(", ", CosemClassCatalog.All.Select(c => c.ClassId))})");
        }

        foreach (int id in initialValues.Keys)
        {
            if (id < 2 || id > info.AttributeCount)
            {
                throw new CosemConfigurationException($"attribute {id}: {info.Name} (class {classId}) has attributes 2..{info.AttributeCount}");
            }
        }

        if (classId is 15 or 64 && initialValues.Count > 0)
        {
            throw new CosemConfigurationException($"attribute {initialValues.Keys.Min()}: {info.Name} attributes are computed by the device and take no initial value");
        }

        return classId switch
        {
            CosemClassIds.Register or CosemClassIds.ExtendedRegister => new RegisterObject(info, logicalName, initialValues, options.LiveRatePerHour, options.LiveSince),
            CosemClassIds.ProfileGeneric => new ProfileGenericObject(info, logicalName, initialValues),
            CosemClassIds.Clock => new ClockObject(info, logicalName, initialValues),
            CosemClassIds.AssociationLn => new AssociationLnObject(info, logicalName),
            CosemClassIds.SecuritySetup => new SecuritySetupObject(info, logicalName),
            CosemClassIds.DisconnectControl => new DisconnectControlObject(info, logicalName, initialValues),
            CosemClassIds.Account or CosemClassIds.Credit or CosemClassIds.Charge or CosemClassIds.TokenGateway => new PaymentObject(info, logicalName, initialValues),
            CosemClassIds.SapAssignment => new AttributeBagObject(info, logicalName, initialValues, readOnlyAttributes: [2], transientAttributes: [2]),
            _ => new AttributeBagObject(info, logicalName, initialValues),
        };
    }
}
