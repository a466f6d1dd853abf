using Smets1Sim.Devices.Runtime;
using Smets1Sim.Devices.Server;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Framing;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;
using Smets1Sim.Tests.Shared;

namespace Smets1Sim.Devices.Tests.Server;

[TestClass]
public sealed class ServerSessionRobustnessTests : ServerTestBase
{
    [TestMethod]
    public void Handle_SeededMutationsOfEveryRequestKind_NeverThrows()
    {
        // Mutations provoke every warning the session has; none may be an internal error.
        Log.Allow(103, 104, 106, 109, 110);
        (LogicalDevice device, DlmsServerSession session) = Start();
        using LogicalDevice owned = device;
        using var peer = new ScriptedPeer(session, 1, 2);
        var seeds = new List<byte[]>
        {
            peer.BuildHlsAarq(HlsGmac.NewChallenge()),
            new AarqApdu { ApplicationContextName = ApplicationContextName.LogicalName, UserInformation = (ReadOnlyMemory<byte>?)ScriptedPeer.InitiateRequestBytes() }.ToArray(),
            new RlrqApdu { Reason = ReleaseRequestReason.Normal }.ToArray(),
            new GetRequestNormal(ScriptedPeer.Invoke, new CosemAttributeDescriptor(1, TestDevice.DataObis, 2)).ToArray(),
            new GetRequestNext(ScriptedPeer.Invoke, 1).ToArray(),
        };
        peer.AssociateHls();
        seeds.Add(peer.Seal(new GetRequestNormal(ScriptedPeer.Invoke, new CosemAttributeDescriptor(1, TestDevice.DataObis, 2)).ToArray()));
        seeds.Add(peer.Seal(new ActionRequestNormal(ScriptedPeer.Invoke, new CosemMethodDescriptor(64, TestDevice.SecuritySetupObis, 2), TestDevice.KeyTransferParameters((KeyId.Authentication, new byte[24]))).ToArray()));
        seeds.Add(peer.Seal(new SetRequestWithFirstDatablock(ScriptedPeer.Invoke, new CosemAttributeDescriptor(1, TestDevice.DataObis, 2), new DataBlock(false, 1, new byte[] { 0x0A, 0x05 })).ToArray()));

        var random = new Random(1123);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] apdu = Mutator.Mutate(seeds[random.Next(seeds.Count)], random);
            if (apdu.Length == 0)
            {
                continue;
            }

            ushort client = random.Next(4) == 0 ? (ushort)16 : (ushort)1;
            try
            {
                session.Handle(new WrapperFrame(client, 2, apdu));
            }
            catch (Exception ex)
            {
                Assert.Fail($"{ex.GetType().Name} escaped the session for {Convert.ToHexString(apdu)}: {ex.Message}");
            }

            if (i % 500 == 0)
            {
                // Keep an association open so mutations also reach the data-transfer paths.
                using var again = new ScriptedPeer(session, 1, 2) { NextIc = (uint)(1000 + (i * 10)) };
                again.AssociateHls();
            }
        }
    }

    [TestMethod]
    public void OutgoingCounter_ReservedBeforeUse_RestartSkipsWholeReservation()
    {
        var stored = new List<uint>();
        var persistence = new CallbackPersistence(s => stored.Add(s.OutgoingInvocationCounterReserved));
        LogicalDevice first = TestDevice.Create(persistence: persistence);
        Assert.AreEqual(1u, first.Security.NextOutgoing(), "a fresh device starts at 1: some clients refuse 0");
        Assert.AreEqual(DeviceSecurity.ReservationBlock + 1, stored[^1], "the reservation is stored before IC 1 is used");
        for (int i = 0; i < 10; i++)
        {
            first.Security.NextOutgoing();
        }

        first.Dispose();

        // After a crash the device starts at the stored reservation: no IC it may have used can come again.
        using var second = new LogicalDevice(
            first.Identity, [], [], new KeySet(SecretKey.FromHex(TestDevice.Ek), SecretKey.FromHex(TestDevice.Ak), SecretKey.FromHex(TestDevice.Kek)),
            null, stored[^1], new Dictionary<ushort, uint>(), SecurityPolicy.None, 0, KeyActivation.NextAssociation, FaultPlan.None, persistence);
        Assert.AreEqual(DeviceSecurity.ReservationBlock + 1, second.Security.NextOutgoing());
    }

    private sealed class CallbackPersistence(Action<DeviceSnapshot> onSave) : IDeviceStatePersistence
    {
        public void Save(DeviceSnapshot snapshot) => onSave(snapshot);
    }
}

[TestClass]
public sealed class KeyTransferStorageFailureTests
{
    [TestMethod]
    [DataRow(typeof(IOException))]
    [DataRow(typeof(UnauthorizedAccessException))]
    public void KeyTransfer_StoreFails_HardwareFaultAndKeysUnchanged(Type failure)
    {
        var persistence = new FailingPersistence();
        using LogicalDevice device = TestDevice.Create(persistence: persistence);
        persistence.Failure = (Exception)Activator.CreateInstance(failure, "disk full")!;
        byte[] wrapped = Smets1Sim.Dlms.Security.KeyWrap.Wrap(Convert.FromHexString(TestDevice.Kek), Convert.FromHexString("00112233445566778899AABBCCDDEEFF"));
        Assert.AreEqual(Smets1Sim.Dlms.Xdlms.ActionResult.HardwareFault, device.Security.KeyTransfer([(0, wrapped)], FaultPlan.None));
        Assert.IsNull(device.Security.Pending);
        Assert.AreEqual(0, device.Security.KeyGeneration);
    }

    private sealed class FailingPersistence : IDeviceStatePersistence
    {
        public Exception? Failure { get; set; }

        public void Save(DeviceSnapshot snapshot)
        {
            if (Failure is not null)
            {
                throw Failure;
            }
        }
    }
}
