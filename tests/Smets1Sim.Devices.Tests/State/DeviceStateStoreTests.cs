using Smets1Sim.Devices.Json;
using Smets1Sim.Devices.Runtime;
using Smets1Sim.Devices.State;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Tests.State;

[TestClass]
public sealed class DeviceStateStoreTests
{
    private static DeviceSnapshot Snapshot(string ek, bool pending = true) => new(
        "P0001-ESME",
        new KeySet(SecretKey.FromHex(ek), SecretKey.Generate(), SecretKey.Generate()),
        pending ? new KeySet(SecretKey.Generate(), SecretKey.Generate(), SecretKey.Generate(), SecretKey.Generate()) : null,
        8192,
        new Dictionary<ushort, uint> { [1] = 77 },
        0x6C,
        3,
        new Dictionary<ObisCode, IReadOnlyDictionary<int, DlmsValue>> { [ObisCode.Parse("0-0:19.10.0.255")] = new Dictionary<int, DlmsValue> { [2] = new DlmsDoubleLong(4242) } });

    [TestMethod]
    public void SaveThenLoad_RoundTripsEverything_OwnerOnly()
    {
        var store = new DeviceStateStore(Directory.CreateTempSubdirectory("state-test").FullName);
        try
        {
            Assert.IsNull(store.Load("P0001-ESME"));
            using (DeviceSnapshot snapshot = Snapshot("00112233445566778899AABBCCDDEEFF"))
            {
                store.Save(snapshot);
            }

            DeviceState state = store.Load("P0001-ESME")!;
            Assert.AreEqual("00112233445566778899AABBCCDDEEFF", state.Keys.Ek);
            Assert.IsNotNull(state.PendingKeys?.Broadcast);
            Assert.AreEqual(8192u, state.OutgoingInvocationCounterReserved);
            Assert.AreEqual(77u, state.IncomingInvocationCounters[1]);
            Assert.AreEqual(0x6C, state.SecurityPolicy);
            Assert.AreEqual(3, state.KeyGeneration);
            Assert.AreEqual(new DlmsDoubleLong(4242), state.Attributes[ObisCode.Parse("0-0:19.10.0.255")][2]);
            Assert.DoesNotContain("00112233", state.Keys.ToString());
            if (!OperatingSystem.IsWindows())
            {
                Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.PathOf("P0001-ESME")));
            }
        }
        finally
        {
            Directory.Delete(store.Directory, recursive: true);
        }
    }

    [TestMethod]
    public void Load_AfterCrashedWriter_IgnoresTemporaryAndKeepsLastGoodFile()
    {
        var store = new DeviceStateStore(Directory.CreateTempSubdirectory("state-test").FullName);
        try
        {
            using (DeviceSnapshot snapshot = Snapshot("00112233445566778899AABBCCDDEEFF", pending: false))
            {
                store.Save(snapshot);
            }

            // A writer killed mid-write leaves only its temporary file; the real file is untouched.
            string temp = Path.Combine(store.Directory, ".P0001-ESME.json.123.abc.tmp");
            File.WriteAllText(temp, "{\"deviceId\": \"P0001-ES");
            Assert.AreEqual("00112233445566778899AABBCCDDEEFF", store.Load("P0001-ESME")!.Keys.Ek);
            Assert.IsFalse(File.Exists(temp), "leftover temporary files are removed");
        }
        finally
        {
            Directory.Delete(store.Directory, recursive: true);
        }
    }

    [TestMethod]
    public void Load_CorruptFile_ClearErrorNamingTheFile()
    {
        var store = new DeviceStateStore(Directory.CreateTempSubdirectory("state-test").FullName);
        try
        {
            File.WriteAllText(store.PathOf("X"), "{ \"deviceId\": \"X\", \"keys\": { \"ek\": \"00\" } }");
            ConfigurationException ex = Assert.ThrowsExactly<ConfigurationException>(() => store.Load("X"));
            Assert.AreEqual($"{store.PathOf("X")}: $.keys.ek: expected 32 hex digits", ex.Message);
        }
        finally
        {
            Directory.Delete(store.Directory, recursive: true);
        }
    }

    /// <summary>
    /// Devices write their files at the same time (each one serialised by its own gate, as in the server): every
    /// file must end up holding exactly the last snapshot of its own device, never a mix or another device's.
    /// </summary>
    [TestMethod]
    public void Save_ConcurrentDevices_EachFileComplete()
    {
        const int Devices = 8;
        const int SavesPerDevice = 25;
        var store = new DeviceStateStore(Directory.CreateTempSubdirectory("state-test").FullName);
        var lastEk = new string[Devices];
        try
        {
            Parallel.For(0, Devices, new ParallelOptions { MaxDegreeOfParallelism = Devices }, d =>
            {
                for (int k = 1; k <= SavesPerDevice; k++)
                {
                    using var snapshot = new DeviceSnapshot(
                        $"D{d}", new KeySet(SecretKey.Generate(), SecretKey.Generate(), SecretKey.Generate()), null, (uint)(d * 1000 + k),
                        new Dictionary<ushort, uint> { [1] = (uint)k }, 0, k, new Dictionary<ObisCode, IReadOnlyDictionary<int, DlmsValue>>());
                    store.Save(snapshot);
                    lastEk[d] = snapshot.Keys.Encryption.ExportHex();
                }
            });

            for (int d = 0; d < Devices; d++)
            {
                DeviceState state = store.Load($"D{d}") ?? throw new AssertFailedException($"D{d} has no file");
                Assert.AreEqual($"D{d}", state.DeviceId);
                Assert.AreEqual(SavesPerDevice, state.KeyGeneration, $"D{d}");
                Assert.AreEqual((uint)(d * 1000 + SavesPerDevice), state.OutgoingInvocationCounterReserved, $"D{d}");
                Assert.AreEqual((uint)SavesPerDevice, state.IncomingInvocationCounters[1], $"D{d}");
                Assert.AreEqual(lastEk[d], state.Keys.Ek, $"D{d} holds the keys of its own last snapshot");
            }

            Assert.IsEmpty(Directory.GetFiles(store.Directory, "*.tmp"));
        }
        finally
        {
            Directory.Delete(store.Directory, recursive: true);
        }
    }
}
