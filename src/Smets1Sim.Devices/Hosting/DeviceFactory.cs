using System.Text;
using Smets1Sim.Cosem;
using Smets1Sim.Cosem.Classes;
using Smets1Sim.Devices.Fleet;
using Smets1Sim.Devices.Json;
using Smets1Sim.Devices.Profiles;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Devices.State;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Hosting;

/// <summary>Builds a running <see cref="LogicalDevice"/> from its fleet entry, its profile and what it stored.</summary>
public static class DeviceFactory
{
    private static readonly ObisCode LogicalDeviceNameObis = new(0, 0, 42, 0, 0, 255);

    /// <summary>
    /// Creates the device. Stored keys, counters, policy and attribute values win over the fleet file's initial
    /// ones, so a restart never loses a key a head-end was told was accepted.
    /// </summary>
    /// <param name="device">The fleet entry.</param>
    /// <param name="profile">The device type's profile.</param>
    /// <param name="neighbours">The devices reachable on the same endpoint (for the SAP assignment list).</param>
    /// <param name="store">Where state is kept, or null for a throwaway device.</param>
    /// <param name="time">The device clock (defaults to the system clock).</param>
    public static LogicalDevice Create(FleetDevice device, DeviceProfile profile, IReadOnlyList<FleetDevice> neighbours, DeviceStateStore? store, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(neighbours);
        DeviceState? state = store?.Load(device.Id);
        var objects = new List<CosemObject>();
        foreach (ObjectProfile o in profile.Objects)
        {
            var values = o.Attributes.ToDictionary(p => p.Key, p => p.Value);
            if (o.LogicalName == LogicalDeviceNameObis && o.ClassId == 1)
            {
                values[2] = DlmsValue.OctetString(Encoding.ASCII.GetBytes(device.LogicalDeviceName));
            }

            if (o.ClassId == 17)
            {
                values[2] = new DlmsArray([.. neighbours.OrderBy(n => n.WPort).Select(n => (DlmsValue)DlmsValue.Structure(
                    new DlmsLongUnsigned((ushort)n.WPort), DlmsValue.OctetString(Encoding.ASCII.GetBytes(n.LogicalDeviceName))))]);
            }

            CosemObject obj;
            try
            {
                obj = CosemObjectFactory.Create(o.ClassId, o.LogicalName, values, new CosemObjectOptions { LiveRatePerHour = o.LiveRatePerHour, LiveSince = device.CommissionedAt });
            }
            catch (CosemConfigurationException ex)
            {
                throw new ConfigurationException(profile.Source, $"$.objects[{o.LogicalName}]", ex.Message);
            }

            if (state?.Attributes.TryGetValue(o.LogicalName, out IReadOnlyDictionary<int, DlmsValue>? stored) == true)
            {
                obj.ImportState(stored);
            }

            objects.Add(obj);
        }

        var associations = profile.Associations.Select(a => new AssociationSettings
        {
            Name = a.Name,
            ClientSap = a.ClientSap,
            Mechanism = a.Mechanism,
            Ciphered = a.Ciphered,
            LlsSecret = a.LlsSecret is null ? null : (ReadOnlyMemory<byte>?)Encoding.ASCII.GetBytes(a.LlsSecret),
            SecuritySetup = a.SecuritySetup,
            InvocationCounterObject = a.InvocationCounter,
            ServerMaxReceivePduSize = a.MaxPduSize,
            Rights = profile.RightsFor(a),
        }).ToList();

        SecurityPolicy policy = state is not null
            ? (SecurityPolicy)state.SecurityPolicy
            : profile.Associations.Where(a => a.Ciphered).Select(a => a.SecurityPolicy).FirstOrDefault();
        KeySet keys = state?.Keys.ToKeySet()
            ?? new KeySet(SecretKey.FromHex(device.Ek), SecretKey.FromHex(device.Ak), SecretKey.FromHex(device.Kek));
        var logical = new LogicalDevice(
            new DeviceIdentity(device.Id, device.Type, (ushort)device.WPort, device.LogicalDeviceName, SystemTitle.Parse(device.ServerSystemTitle), device.CommissionedAt),
            objects,
            associations,
            keys,
            state?.PendingKeys?.ToKeySet(),
            state?.OutgoingInvocationCounterReserved ?? store?.OutgoingFloorOf(device.Id) ?? 0,
            state?.IncomingInvocationCounters ?? new Dictionary<ushort, uint>(),
            policy,
            state?.KeyGeneration ?? 0,
            profile.KeyActivation,
            (device.Faults ?? profile.Faults)?.ToPlan() ?? FaultPlan.None,
            (IDeviceStatePersistence?)store ?? NoPersistence.Instance,
            time);
        if (state is null || state.PendingKeys is not null)
        {
            // First start: the state directory holds the keys from now on. Restart with pending keys: they are in force now.
            logical.Persist();
        }

        return logical;
    }
}
