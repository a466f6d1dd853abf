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
            3 or 4 => new RegisterObject(info, logicalName, initialValues, options.LiveRatePerHour, options.LiveSince),
            7 => new ProfileGenericObject(info, logicalName, initialValues),
            8 => new ClockObject(info, logicalName, initialValues),
            15 => new AssociationLnObject(info, logicalName),
            64 => new SecuritySetupObject(info, logicalName),
            70 => new DisconnectControlObject(info, logicalName, initialValues),
            111 or 112 or 113 or 115 => new PaymentObject(info, logicalName, initialValues),
            17 => new AttributeBagObject(info, logicalName, initialValues, readOnlyAttributes: [2], transientAttributes: [2]),
            _ => new AttributeBagObject(info, logicalName, initialValues),
        };
    }
}
