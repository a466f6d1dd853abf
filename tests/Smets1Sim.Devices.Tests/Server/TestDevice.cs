using System.Collections.Frozen;
using System.Collections.Immutable;
using Smets1Sim.Cosem;
using Smets1Sim.Cosem.Classes;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Tests.Server;

/// <summary>
/// A small logical device for session tests: a Data object, the real Security setup, the last-event-code object,
/// two associations.
/// </summary>
internal static class TestDevice
{
    // docs/dlms-wire.md section 4 test keys; the KEK of the RFC 3394 vectors. Never real keys.
    public const string Ek = "000102030405060708090A0B0C0D0E0F";
    public const string Ak = "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF";
    public const string Kek = "000102030405060708090A0B0C0D0E0F";
    public static readonly SystemTitle ServerTitle = SystemTitle.Parse("4D4D4D0000BC614E");
    public static readonly ObisCode DataObis = new(0, 0, 96, 1, 0, 255);
    public static readonly ObisCode SecuritySetupObis = new(0, 0, 43, 0, 0, 255);
    public static readonly ObisCode InvocationCounterObis = new(0, 0, 43, 1, 0, 255);
    public static readonly ObisCode EventCodeObis = new(0, 0, 96, 11, 0, 255);
    public const SecurityPolicy ManagementPolicy = SecurityPolicy.AuthenticatedRequest | SecurityPolicy.EncryptedRequest | SecurityPolicy.AuthenticatedResponse | SecurityPolicy.EncryptedResponse;

    public static LogicalDevice Create(
        FaultPlan? faults = null,
        KeyActivation activation = KeyActivation.NextAssociation,
        IDeviceStatePersistence? persistence = null,
        DlmsValue? dataValue = null)
    {
        var readOnly = new AccessRights([AttributeAccess.Read, AttributeAccess.Read], []);
        var readWrite = new AccessRights([AttributeAccess.Read, AttributeAccess.ReadWrite], []);
        var securityRights = new AccessRights([.. Enumerable.Repeat(AttributeAccess.Read, 6)], [.. Enumerable.Repeat(MethodAccess.Access, 8)]);
        var publicClient = new AssociationSettings
        {
            Name = "public",
            ClientSap = 16,
            Rights = new Dictionary<ObisCode, AccessRights> { [DataObis] = readOnly, [InvocationCounterObis] = readOnly }.ToFrozenDictionary(),
        };
        var management = new AssociationSettings
        {
            Name = "management",
            ClientSap = 1,
            Mechanism = AuthenticationMechanism.HlsGmac,
            Ciphered = true,
            SecuritySetup = SecuritySetupObis,
            InvocationCounterObject = InvocationCounterObis,
            Rights = new Dictionary<ObisCode, AccessRights> { [DataObis] = readWrite, [SecuritySetupObis] = securityRights, [EventCodeObis] = readOnly }.ToFrozenDictionary(),
        };
        return new LogicalDevice(
            new DeviceIdentity("T-ESME", "esme", 2, "TESTESME0001", ServerTitle, DateTimeOffset.UnixEpoch),
            [
                new TestData(DataObis, dataValue ?? new DlmsVisibleString("hello")),
                CosemObjectFactory.Create(CosemClassIds.SecuritySetup, SecuritySetupObis, new Dictionary<int, DlmsValue>()),
                CosemObjectFactory.Create(CosemClassIds.Data, EventCodeObis, new Dictionary<int, DlmsValue> { [2] = new DlmsLongUnsigned(0) }),
            ],
            [publicClient, management],
            new KeySet(SecretKey.FromHex(Ek), SecretKey.FromHex(Ak), SecretKey.FromHex(Kek)),
            pendingKeys: null,
            outgoingReserved: 0,
            incomingCounters: new Dictionary<ushort, uint>(),
            ManagementPolicy,
            keyGeneration: 0,
            activation,
            faults ?? FaultPlan.None,
            persistence ?? NoPersistence.Instance);
    }

    /// <summary>Data (class 1) double: attribute 2 readable and writable with the same type.</summary>
    private sealed class TestData(ObisCode ln, DlmsValue value) : CosemObject(ln)
    {
        private DlmsValue _value = value;

        public override ushort ClassId => 1;

        public override byte Version => 0;

        public override int AttributeCount => 2;

        public override int MethodCount => 0;

        public override IReadOnlyDictionary<int, DlmsValue> ExportState() => new Dictionary<int, DlmsValue> { [2] = _value };

        protected override GetResult GetAttribute(int attributeId, SelectiveAccessDescriptor? access, CosemContext context) => GetResult.Success(_value);

        protected override DataAccessResult SetAttribute(int attributeId, DlmsValue value, SelectiveAccessDescriptor? access, CosemContext context)
        {
            if (value.Type != _value.Type)
            {
                return DataAccessResult.TypeUnmatched;
            }

            _value = value;
            return DataAccessResult.Success;
        }
    }

    public static DlmsArray KeyTransferParameters(params (KeyId Id, byte[] Wrapped)[] keys)
        => new([.. keys.Select(k => (DlmsValue)DlmsValue.Structure(new DlmsEnum((byte)k.Id), DlmsValue.OctetString(k.Wrapped)))]);

    /// <summary>The last event code the device recorded (0-0:96.11.0.255), 0 when none.</summary>
    public static ushort LastEventCode(LogicalDevice device)
        => device.Objects[EventCodeObis].ExportState().TryGetValue(2, out DlmsValue? code) ? ((DlmsLongUnsigned)code).Value : (ushort)0;

    public static ImmutableArray<byte> Hex(string hex) => [.. Convert.FromHexString(hex)];
}
