using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;
using Smets1Sim.HeadEnd.Fleet;
using Smets1Sim.HeadEnd.Store;

namespace Smets1Sim.HeadEnd.Tests.Store;

/// <summary>The key store on its own: encryption at rest, the master key, schema versions, leases, counters, audit.</summary>
[TestClass]
public sealed class KeyStoreTests
{
    private static readonly SystemTitle Client = SystemTitle.Parse("48454E4430303031");

    public TestContext TestContext { get; set; } = null!;

    private static string TempPath() => Path.Combine(Path.GetTempPath(), "smets1sim-store-" + Guid.NewGuid().ToString("N") + ".db");

    private static FleetEntry Entry(string id, string ek, string ak, string kek, int port = 4059) => new(
        id, "P0001", "esme", "127.0.0.1", port, 2, SystemTitle.Parse("534D530000000002"), DateTimeOffset.UnixEpoch,
        WellKnownObis.SecuritySetup(0), new ObisCode(0, 0, 43, 1, 0, 255), 1, 16, ek, ak, kek);

    private static string RandomHex() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    [TestMethod]
    public void Open_WrongMasterKey_NamedAsWrongKeyNotCorruption()
    {
        string path = TempPath();
        using (SecretKey key = StoreMasterKey.Generate())
        using (HeadEndStore.Open(path, key))
        {
        }

        using SecretKey other = StoreMasterKey.Generate();
        HeadEndStoreException ex = Assert.ThrowsExactly<HeadEndStoreException>(() => HeadEndStore.Open(path, other));
        Assert.AreEqual(StoreFailure.WrongMasterKey, ex.Failure);
        StringAssert.Contains(ex.Message, "wrong store master key");
    }

    [TestMethod]
    public void Import_KeysAtRest_NeverInClearAnywhereInTheFiles_AndUnreadableWithoutTheMasterKey()
    {
        string path = TempPath();
        string ek = RandomHex(), ak = RandomHex(), kek = RandomHex();
        using SecretKey master = StoreMasterKey.Generate();
        using (HeadEndStore store = HeadEndStore.Open(path, master))
        {
            store.Import([Entry("D1", ek, ak, kek)], Client, "test");
            using DeviceKeys keys = store.LoadActiveKeys("D1");
            Assert.AreEqual(ek, keys.Encryption.ExportHex());
            foreach (AuditEntry a in store.ReadAudit())
            {
                string line = a.ToString();
                foreach (string k in (string[])[ek, ak, kek])
                {
                    Assert.IsFalse(line.Contains(k, StringComparison.OrdinalIgnoreCase), "no key in the audit log");
                }
            }
        }

        // Every byte of the database, its WAL and shared memory: no key in clear, as bytes or as hex text.
        foreach (string file in (string[])[path, path + "-wal", path + "-shm"])
        {
            if (!File.Exists(file))
            {
                continue;
            }

            byte[] bytes = File.ReadAllBytes(file);
            string text = Encoding.ASCII.GetString(bytes);
            foreach (string k in (string[])[ek, ak, kek])
            {
                Assert.AreEqual(-1, bytes.AsSpan().IndexOf(Convert.FromHexString(k)), $"{file} holds a key in clear");
                Assert.IsFalse(text.Contains(k, StringComparison.OrdinalIgnoreCase), $"{file} holds a key as hex");
            }
        }

        // Without the master key the blobs are AES-GCM ciphertext: a reader with another key gets nothing.
        using SecretKey wrong = StoreMasterKey.Generate();
        Assert.ThrowsExactly<HeadEndStoreException>(() => HeadEndStore.Open(path, wrong));
    }

    [TestMethod]
    public void LoadActiveKeys_BlobMovedToAnotherDevice_RefusedAsAlteredNotHandedOut()
    {
        string path = TempPath();
        using SecretKey master = StoreMasterKey.Generate();
        using HeadEndStore store = HeadEndStore.Open(path, master);
        store.Import([Entry("D1", RandomHex(), RandomHex(), RandomHex()), Entry("D2", RandomHex(), RandomHex(), RandomHex())], Client, "test");
        using (var c = new SqliteConnection($"Data Source={path}"))
        {
            c.Open();
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE keys SET blob = (SELECT blob FROM keys WHERE device_id='D1' AND kind=0) WHERE device_id='D2' AND kind=0";
            Assert.AreEqual(1, cmd.ExecuteNonQuery());
        }

        HeadEndStoreException ex = Assert.ThrowsExactly<HeadEndStoreException>(() => store.LoadActiveKeys("D2"));
        Assert.AreEqual(StoreFailure.Corrupt, ex.Failure);
        StringAssert.Contains(ex.Message, "altered or moved");
    }

    [TestMethod]
    public void Open_SchemaFromANewerHeadEnd_RefusedWithAClearLine()
    {
        string path = TempPath();
        using SecretKey master = StoreMasterKey.Generate();
        using (HeadEndStore.Open(path, master))
        {
        }

        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = $"PRAGMA user_version = {HeadEndStore.SchemaVersion + 1}";
            cmd.ExecuteNonQuery();
        }

        HeadEndStoreException ex = Assert.ThrowsExactly<HeadEndStoreException>(() => HeadEndStore.Open(path, master));
        Assert.AreEqual(StoreFailure.NewerSchema, ex.Failure);
        StringAssert.Contains(ex.Message, "newer head-end");
    }

    [TestMethod]
    public void Open_SomeOtherFile_NotAHeadEndStore()
    {
        string path = TempPath();
        File.WriteAllText(path, "this is not a database, it is a text file of some length to look like a header...........");
        using SecretKey master = StoreMasterKey.Generate();
        HeadEndStoreException ex = Assert.ThrowsExactly<HeadEndStoreException>(() => HeadEndStore.Open(path, master));
        Assert.AreEqual(StoreFailure.Corrupt, ex.Failure);
    }

    [TestMethod]
    [DataRow(null, StoreFailure.MasterKeyMissing)]
    [DataRow("", StoreFailure.MasterKeyMissing)]
    [DataRow("abcd", StoreFailure.MasterKeyUnreadable)]
    [DataRow("zz23456789012345678901234567890123456789012345678901234567890123", StoreFailure.MasterKeyUnreadable)]
    public void LoadMasterKey_MissingOrMalformed_SaysHowToGiveIt(string? value, StoreFailure failure)
    {
        HeadEndStoreException ex = Assert.ThrowsExactly<HeadEndStoreException>(() => StoreMasterKey.Load(null, _ => value));
        Assert.AreEqual(failure, ex.Failure);
        StringAssert.Contains(ex.Message, "SMETS1SIM_STORE_KEY");
        if (value is { Length: > 0 })
        {
            Assert.IsFalse(ex.Message.Contains(value, StringComparison.Ordinal), "the message never echoes key material");
        }
    }

    [TestMethod]
    public void LoadMasterKey_FromFile_TrimsAndParses()
    {
        string file = TempPath();
        using SecretKey key = StoreMasterKey.Generate();
        File.WriteAllText(file, key.ExportHex().ToLowerInvariant() + "\n");
        using SecretKey loaded = StoreMasterKey.Load(file, _ => null);
        Assert.IsTrue(loaded.KeyEquals(key));
    }

    [TestMethod]
    public void Lease_HeldByALiveOwner_RefusedUntilItExpires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using SecretKey master = StoreMasterKey.Generate();
        using HeadEndStore store = HeadEndStore.Open(TempPath(), master, time);
        store.Import([Entry("D1", RandomHex(), RandomHex(), RandomHex())], Client, "test");
        LeaseOwner first = LeaseOwner.ForThisProcess(), second = LeaseOwner.ForThisProcess();

        RotationStart a = Take(store, first);
        Assert.IsTrue(a.LeaseAcquired);
        a.Pending?.Dispose();

        RotationStart b = Take(store, second);
        Assert.IsFalse(b.LeaseAcquired);
        Assert.AreEqual(first.Id, b.LeaseHolder);

        time.Advance(TimeSpan.FromMinutes(3));
        RotationStart c = Take(store, second);
        c.Pending?.Dispose();
        Assert.IsTrue(c.LeaseAcquired, "a lease expires");
        Assert.IsFalse(c.PendingIsNew, "the first owner's pending rotation is handed over to be settled");
    }

    [TestMethod]
    public void LeaseOwner_DeadProcessOfThisHost_Stale()
    {
        Assert.IsFalse(LeaseOwner.IsDeadLocalOwner(LeaseOwner.ForThisProcess().Id));
        Assert.IsTrue(LeaseOwner.IsDeadLocalOwner($"{Environment.MachineName}/{int.MaxValue - 1}/1/x"));
        Assert.IsFalse(LeaseOwner.IsDeadLocalOwner($"another-host/{int.MaxValue - 1}/1/x"), "another host's lease waits for expiry");
    }

    [TestMethod]
    public void Counters_ReservedBlocks_NeverOverlapAndFollowTheDevice()
    {
        using SecretKey master = StoreMasterKey.Generate();
        using HeadEndStore store = HeadEndStore.Open(TempPath(), master);
        store.Import([Entry("D1", RandomHex(), RandomHex(), RandomHex())], Client, "test");
        var set = new CounterSet(0, 0);
        Assert.IsNull(store.ReserveCounters("D1", set, 10), "unknown until read from the device");
        Assert.AreEqual(100u, store.RaiseCounters("D1", set, 100, 10));
        Assert.AreEqual(110u, store.ReserveCounters("D1", set, 10));
        Assert.AreEqual(120u, store.RaiseCounters("D1", set, 50, 10), "a lower device value never moves the reservation back");
        Assert.AreEqual(130u, store.ReserveCounters("D1", set, 10));
    }

    [TestMethod]
    public void Audit_AppendOnly_UpdatesAndDeletesRefused()
    {
        string path = TempPath();
        using SecretKey master = StoreMasterKey.Generate();
        using HeadEndStore store = HeadEndStore.Open(path, master);
        store.AppendAudit("D1", "test", "step", "ok", null);
        using var c = new SqliteConnection($"Data Source={path}");
        c.Open();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "DELETE FROM audit";
        Assert.ThrowsExactly<SqliteException>(() => cmd.ExecuteNonQuery());
        cmd.CommandText = "UPDATE audit SET result = 'x'";
        Assert.ThrowsExactly<SqliteException>(() => cmd.ExecuteNonQuery());
    }

    private static RotationStart Take(HeadEndStore store, LeaseOwner owner)
    {
        using SecretKey ek = SecretKey.Generate();
        return store.BeginRotation("D1", owner, new Dictionary<KeyKind, SecretKey> { [KeyKind.Encryption] = ek }, TimeSpan.FromMinutes(2), 16);
    }
}
