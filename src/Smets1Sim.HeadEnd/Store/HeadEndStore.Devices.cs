using System.Globalization;
using Microsoft.Data.Sqlite;
using Smets1Sim.Dlms.Security;
using Smets1Sim.HeadEnd.Fleet;

namespace Smets1Sim.HeadEnd.Store;

/// <summary>Import of fleet files, device and key look-ups, status and audit reads.</summary>
public sealed partial class HeadEndStore
{
    /// <summary>
    /// Imports a fleet: new devices are added with their commissioning keys active (generation 0) and an unknown
    /// invocation counter; known devices get their addresses updated. Keys are replaced only while the device was never
    /// rotated and has no rotation pending: keys that rotations changed are never overwritten. Devices in the store but
    /// not in the file are reported (and kept). One transaction.
    /// </summary>
    public ImportReport Import(IReadOnlyList<FleetEntry> entries, SystemTitle clientSystemTitle, string source)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var added = new List<string>();
        var updated = new List<string>();
        var unchanged = new List<string>();
        var kept = new List<string>();
        string now = Now();
        using SqliteConnection c = Connect();
        using SqliteTransaction tx = c.BeginTransaction();
        foreach (FleetEntry e in entries)
        {
            DeviceRecord? existing = FindDevice(c, tx, e.Id);
            if (existing is null)
            {
                Execute(c, tx,
                    $"INSERT INTO devices({DeviceColumns}, imported_at) VALUES ($id, $p, $t, $h, $port, $w, $cst, $sst, $com, $ss, $ic, $ms, $ps, 0, NULL, NULL, $now)",
                    DeviceParameters(e, clientSystemTitle, now));
                InsertCommissioningKeys(c, tx, e, now, replace: false);
                Execute(c, tx, "INSERT INTO counters(device_id, ek_generation, ak_generation, reserved) VALUES ($d, 0, 0, NULL)", ("$d", e.Id));
                Audit(c, tx, now, e.Id, "import", "add", "ok", $"from {source}");
                added.Add(e.Id);
                continue;
            }

            bool addressChanged = existing.Host != e.Host || existing.Port != e.Port || existing.WPort != e.WPort
                || existing.PremisesId != e.PremisesId || existing.Type != e.Type || existing.ServerSystemTitle != e.ServerSystemTitle
                || existing.SecuritySetup != e.SecuritySetup || existing.InvocationCounterObject != e.InvocationCounter
                || existing.ManagementClientSap != e.ManagementClientSap || existing.PublicClientSap != e.PublicClientSap;
            if (addressChanged)
            {
                Execute(c, tx,
                    "UPDATE devices SET premises_id=$p, type=$t, host=$h, port=$port, wport=$w, server_system_title=$sst, commissioned_at=$com, " +
                    "security_setup=$ss, invocation_counter_object=$ic, management_sap=$ms, public_sap=$ps WHERE id=$id",
                    DeviceParameters(e, clientSystemTitle, now));
                Audit(c, tx, now, e.Id, "import", "update-address", "ok", $"{e.Host}:{e.Port} wPort {e.WPort} from {source}");
            }

            bool rotated = existing.KeyGeneration > 0
                || Scalar<long>(c, "SELECT count(*) FROM keys WHERE device_id=$d AND generation > 0", tx, ("$d", e.Id)) > 0;
            if (rotated)
            {
                kept.Add(e.Id);
            }
            else if (CommissioningKeysDiffer(c, tx, e))
            {
                // Never rotated: the file's keys are the device's commissioning keys, so the file is the truth.
                InsertCommissioningKeys(c, tx, e, now, replace: true);
                Execute(c, tx, "UPDATE counters SET reserved = NULL WHERE device_id=$d", ("$d", e.Id));
                Audit(c, tx, now, e.Id, "import", "replace-commissioning-keys", "ok", $"never rotated; from {source}");
                addressChanged = true;
            }

            (addressChanged ? updated : unchanged).Add(e.Id);
        }

        var inFile = entries.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        List<string> missing = [.. AllDeviceIds(c, tx).Where(id => !inFile.Contains(id))];
        tx.Commit();
        return new ImportReport(added, updated, unchanged, kept, missing);
    }

    /// <summary>The device, or null.</summary>
    public DeviceRecord? FindDevice(string id)
    {
        using SqliteConnection c = Connect();
        return FindDevice(c, null, id);
    }

    /// <summary>The device.</summary>
    /// <exception cref="HeadEndStoreException">No such device.</exception>
    public DeviceRecord GetDevice(string id)
        => FindDevice(id) ?? throw new HeadEndStoreException(StoreFailure.UnknownDevice, $"unknown device '{id}' (not in {Path}; import a fleet file first)");

    /// <summary>Every device id, sorted.</summary>
    public IReadOnlyList<string> DeviceIds()
    {
        using SqliteConnection c = Connect();
        return AllDeviceIds(c, null);
    }

    /// <summary>The active keys of a device, decrypted.</summary>
    public DeviceKeys LoadActiveKeys(string deviceId)
    {
        using SqliteConnection c = Connect();
        return LoadKeys(c, null, deviceId, KeyState.Active);
    }

    /// <summary>The pending rotation of a device, or null.</summary>
    public PendingRotation? LoadPending(string deviceId)
    {
        using SqliteConnection c = Connect();
        return LoadPending(c, null, deviceId);
    }

    /// <summary>Every device with its keys' states and ages, pending work and lease.</summary>
    public IReadOnlyList<DeviceStatus> Status()
    {
        using SqliteConnection c = Connect();
        var devices = new List<DeviceRecord>();
        using (SqliteCommand cmd = Command(c, null, $"SELECT {DeviceColumns} FROM devices ORDER BY id", []))
        using (SqliteDataReader r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                devices.Add(ReadDevice(r));
            }
        }

        var keys = new Dictionary<string, List<StoredKeyInfo>>(StringComparer.Ordinal);
        using (SqliteCommand cmd = Command(c, null, "SELECT device_id, kind, generation, state, changed_at FROM keys WHERE state <> 'retired' ORDER BY device_id, kind, generation", []))
        using (SqliteDataReader r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                string id = r.GetString(0);
                if (!keys.TryGetValue(id, out List<StoredKeyInfo>? list))
                {
                    keys[id] = list = [];
                }

                list.Add(new StoredKeyInfo((KeyKind)r.GetInt32(1), r.GetInt64(2), KeyNames.ParseState(r.GetString(3)), ParseTime(r.GetString(4))));
            }
        }

        var leases = new Dictionary<string, (string Owner, long Expires)>(StringComparer.Ordinal);
        using (SqliteCommand cmd = Command(c, null, "SELECT device_id, owner, expires_at FROM leases", []))
        using (SqliteDataReader r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                leases[r.GetString(0)] = (r.GetString(1), r.GetInt64(2));
            }
        }

        return [.. devices.Select(d =>
        {
            IReadOnlyList<StoredKeyInfo> k = keys.TryGetValue(d.Id, out List<StoredKeyInfo>? l) ? l : [];
            long? pending = k.Where(x => x.State == KeyState.Pending).Select(x => (long?)x.Generation).FirstOrDefault();
            bool leased = leases.TryGetValue(d.Id, out (string Owner, long Expires) lease);
            return new DeviceStatus(d, k, pending, leased ? lease.Owner : null, leased ? DateTimeOffset.FromUnixTimeMilliseconds(lease.Expires) : null);
        })];
    }

    /// <summary>The audit log, oldest first; optionally one device's.</summary>
    public IReadOnlyList<AuditEntry> ReadAudit(string? deviceId = null)
    {
        using SqliteConnection c = Connect();
        using SqliteCommand cmd = Command(c, null,
            "SELECT seq, at, device_id, operation, step, result, detail FROM audit WHERE $d IS NULL OR device_id = $d ORDER BY seq", [("$d", deviceId)]);
        using SqliteDataReader r = cmd.ExecuteReader();
        var entries = new List<AuditEntry>();
        while (r.Read())
        {
            entries.Add(new AuditEntry(r.GetInt64(0), ParseTime(r.GetString(1)), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetString(4),
                r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)));
        }

        return entries;
    }

    /// <summary>Appends one audit line in a transaction of its own.</summary>
    public void AppendAudit(string? deviceId, string operation, string step, string result, string? detail)
    {
        using SqliteConnection c = Connect();
        using SqliteTransaction tx = c.BeginTransaction();
        Audit(c, tx, Now(), deviceId, operation, step, result, detail);
        tx.Commit();
    }

    private static DeviceRecord? FindDevice(SqliteConnection c, SqliteTransaction? tx, string id)
    {
        using SqliteCommand cmd = Command(c, tx, $"SELECT {DeviceColumns} FROM devices WHERE id = $id", [("$id", id)]);
        using SqliteDataReader r = cmd.ExecuteReader();
        return r.Read() ? ReadDevice(r) : null;
    }

    private static List<string> AllDeviceIds(SqliteConnection c, SqliteTransaction? tx)
    {
        using SqliteCommand cmd = Command(c, tx, "SELECT id FROM devices ORDER BY id", []);
        using SqliteDataReader r = cmd.ExecuteReader();
        var ids = new List<string>();
        while (r.Read())
        {
            ids.Add(r.GetString(0));
        }

        return ids;
    }

    private static (string, object?)[] DeviceParameters(FleetEntry e, SystemTitle client, string now) =>
    [
        ("$id", e.Id), ("$p", e.PremisesId), ("$t", e.Type), ("$h", e.Host), ("$port", e.Port), ("$w", (int)e.WPort),
        ("$cst", client.ToString()), ("$sst", e.ServerSystemTitle.ToString()), ("$com", e.CommissionedAt.ToString("O", CultureInfo.InvariantCulture)),
        ("$ss", e.SecuritySetup.ToString()), ("$ic", e.InvocationCounter.ToString()), ("$ms", (int)e.ManagementClientSap),
        ("$ps", (int)e.PublicClientSap), ("$now", now),
    ];

    private void InsertCommissioningKeys(SqliteConnection c, SqliteTransaction tx, FleetEntry e, string now, bool replace)
    {
        foreach ((KeyKind kind, string hex) in (ReadOnlySpan<(KeyKind, string)>)[(KeyKind.Encryption, e.EkHex), (KeyKind.Authentication, e.AkHex), (KeyKind.Master, e.KekHex)])
        {
            using SecretKey key = SecretKey.FromHex(hex);
            Execute(c, tx,
                (replace ? "INSERT OR REPLACE" : "INSERT") + " INTO keys(device_id, kind, generation, state, created_at, changed_at, blob) VALUES ($d, $k, 0, 'active', $now, $now, $b)",
                ("$d", e.Id), ("$k", (int)kind), ("$now", now), ("$b", _protector.Protect(key, e.Id, kind, 0)));
        }
    }

    private bool CommissioningKeysDiffer(SqliteConnection c, SqliteTransaction tx, FleetEntry e)
    {
        using DeviceKeys stored = LoadKeys(c, tx, e.Id, KeyState.Active);
        using SecretKey ek = SecretKey.FromHex(e.EkHex);
        using SecretKey ak = SecretKey.FromHex(e.AkHex);
        using SecretKey kek = SecretKey.FromHex(e.KekHex);
        return !stored.Encryption.KeyEquals(ek) || !stored.Authentication.KeyEquals(ak) || !stored.Master.KeyEquals(kek);
    }

    private DeviceKeys LoadKeys(SqliteConnection c, SqliteTransaction? tx, string deviceId, KeyState state)
    {
        using SqliteCommand cmd = Command(c, tx, "SELECT kind, generation, blob FROM keys WHERE device_id = $d AND state = $s", [("$d", deviceId), ("$s", state.Label())]);
        using SqliteDataReader r = cmd.ExecuteReader();
        var keys = new Dictionary<KeyKind, (SecretKey Key, long Generation)>();
        try
        {
            while (r.Read())
            {
                var kind = (KeyKind)r.GetInt32(0);
                long generation = r.GetInt64(1);
                keys[kind] = (_protector.Unprotect((byte[])r.GetValue(2), deviceId, kind, generation), generation);
            }

            if (keys.Count == 0 && FindDevice(c, tx, deviceId) is null)
            {
                throw new HeadEndStoreException(StoreFailure.UnknownDevice, $"unknown device '{deviceId}' (not in {Path}; import a fleet file first)");
            }

            return new DeviceKeys(keys);
        }
        catch
        {
            foreach ((SecretKey key, _) in keys.Values)
            {
                key.Dispose();
            }

            throw;
        }
    }

    private PendingRotation? LoadPending(SqliteConnection c, SqliteTransaction? tx, string deviceId)
    {
        using SqliteCommand cmd = Command(c, tx, "SELECT kind, generation, blob, created_at FROM keys WHERE device_id = $d AND state = 'pending'", [("$d", deviceId)]);
        using SqliteDataReader r = cmd.ExecuteReader();
        var keys = new Dictionary<KeyKind, SecretKey>();
        long generation = -1;
        DateTimeOffset recorded = default;
        while (r.Read())
        {
            var kind = (KeyKind)r.GetInt32(0);
            generation = r.GetInt64(1);
            recorded = ParseTime(r.GetString(3));
            keys[kind] = _protector.Unprotect((byte[])r.GetValue(2), deviceId, kind, generation);
        }

        return keys.Count == 0 ? null : new PendingRotation(deviceId, generation, recorded, keys);
    }
}
