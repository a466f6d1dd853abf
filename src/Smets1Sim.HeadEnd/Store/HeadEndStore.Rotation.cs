using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Smets1Sim.Dlms.Security;

namespace Smets1Sim.HeadEnd.Store;

/// <summary>
/// The durable steps of a rotation: lease and pending record (one transaction, committed with a full fsync before
/// anything is sent), activation, abandonment, and the client invocation counter reservations.
/// </summary>
public sealed partial class HeadEndStore
{
    /// <summary>
    /// In one transaction: takes the device's lease for <paramref name="owner"/> (unless another live owner holds it),
    /// then either returns the rotation already pending (to be settled first), or records
    /// <paramref name="newKeys"/> as pending under the next generation. Also reserves <paramref name="counterBlock"/>
    /// client invocation counters of the active key set when its counter is known, and starts the counter of a new
    /// EK/AK pair. The caller keeps ownership of <paramref name="newKeys"/>.
    /// </summary>
    public RotationStart BeginRotation(string deviceId, LeaseOwner owner, IReadOnlyDictionary<KeyKind, SecretKey> newKeys, TimeSpan leaseTtl, uint counterBlock)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(newKeys);
        using SqliteConnection c = Connect();
        using SqliteTransaction tx = c.BeginTransaction();
        if (FindDevice(c, tx, deviceId) is null)
        {
            throw new HeadEndStoreException(StoreFailure.UnknownDevice, $"unknown device '{deviceId}' (not in {Path}; import a fleet file first)");
        }

        if (!TryTakeLease(c, tx, deviceId, owner, leaseTtl, out string? holder, out DateTimeOffset? expires))
        {
            return new RotationStart(false, holder, expires, null, false, null);
        }

        string now = Now();
        PendingRotation? pending = LoadPending(c, tx, deviceId);
        if (pending is not null)
        {
            Audit(c, tx, now, deviceId, "rotate", "lease", "ok", $"generation {pending.Generation} found pending: settling it first");
            tx.Commit();
            return new RotationStart(true, null, null, pending, false, null);
        }

        using DeviceKeys active = LoadKeys(c, tx, deviceId, KeyState.Active);
        uint? activeStart = Reserve(c, tx, deviceId, active.Counters, counterBlock);
        long generation = Scalar<long>(c, "SELECT coalesce(max(generation), 0) + 1 FROM keys WHERE device_id = $d", tx, ("$d", deviceId));
        var copies = new Dictionary<KeyKind, SecretKey>();
        foreach ((KeyKind kind, SecretKey key) in newKeys)
        {
            Execute(c, tx,
                "INSERT INTO keys(device_id, kind, generation, state, created_at, changed_at, blob) VALUES ($d, $k, $g, 'pending', $now, $now, $b)",
                ("$d", deviceId), ("$k", (int)kind), ("$g", generation), ("$now", now), ("$b", _protector.Protect(key, deviceId, kind, generation)));
            copies[kind] = key.Copy();
        }

        var next = new CounterSet(
            newKeys.ContainsKey(KeyKind.Encryption) ? generation : active.Counters.EncryptionGeneration,
            newKeys.ContainsKey(KeyKind.Authentication) ? generation : active.Counters.AuthenticationGeneration);
        if (next != active.Counters)
        {
            // Counters belong to the EK/AK pair (docs/dlms-wire.md section 3): a new pair starts again at 1, and the
            // device forgets the old pair's counter when it puts the new keys in force.
            // The first block (from 1) is reserved here for the caller, so confirming costs no write of its own.
            Execute(c, tx, "INSERT OR IGNORE INTO counters(device_id, ek_generation, ak_generation, reserved) VALUES ($d, $e, $a, $r)",
                ("$d", deviceId), ("$e", next.EncryptionGeneration), ("$a", next.AuthenticationGeneration), ("$r", 1L + counterBlock));
        }

        Audit(c, tx, now, deviceId, "rotate", "pending", "recorded", $"generation {generation}: {KeyNames.Join(newKeys.Keys)}");
        tx.Commit();
        return new RotationStart(true, null, null, new PendingRotation(deviceId, generation, _time.GetUtcNow(), copies), true, activeStart);
    }

    /// <summary>
    /// Records new pending keys for a device whose lease <paramref name="owner"/> holds and that has nothing pending
    /// (after an abandoned rotation). Returns the pending rotation (owning copies of the keys).
    /// </summary>
    public PendingRotation RecordPending(string deviceId, LeaseOwner owner, IReadOnlyDictionary<KeyKind, SecretKey> newKeys, TimeSpan leaseTtl)
    {
        RotationStart start = BeginRotation(deviceId, owner, newKeys, leaseTtl, 0);
        if (!start.LeaseAcquired || !start.PendingIsNew)
        {
            start.Pending?.Dispose();
            throw new InvalidOperationException($"{deviceId}: cannot record pending keys: " + (start.LeaseAcquired ? "a rotation is still pending" : $"the lease is held by {start.LeaseHolder}"));
        }

        return start.Pending!;
    }

    /// <summary>
    /// The device holds the pending keys: in one transaction they become active, the keys they replace retired, the
    /// key generation advances, the outcome is recorded and the lease released.
    /// </summary>
    public void CompleteRotation(string deviceId, long generation, LeaseOwner owner, string outcome, IEnumerable<(string Step, string Result, string? Detail)> audit)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(audit);
        using SqliteConnection c = Connect();
        using SqliteTransaction tx = c.BeginTransaction();
        string now = Now();
        int pending = Scalar<int>(c, "SELECT count(*) FROM keys WHERE device_id=$d AND generation=$g AND state='pending'", tx, ("$d", deviceId), ("$g", generation));
        if (pending == 0)
        {
            throw new InvalidOperationException($"{deviceId}: generation {generation} is not pending");
        }

        Execute(c, tx,
            "UPDATE keys SET state='retired', changed_at=$now WHERE device_id=$d AND state='active' AND kind IN (SELECT kind FROM keys WHERE device_id=$d AND generation=$g AND state='pending')",
            ("$d", deviceId), ("$g", generation), ("$now", now));
        Execute(c, tx, "UPDATE keys SET state='active', changed_at=$now WHERE device_id=$d AND generation=$g AND state='pending'",
            ("$d", deviceId), ("$g", generation), ("$now", now));
        Execute(c, tx, "UPDATE devices SET key_generation=$g, last_rotation_at=$now, last_rotation_outcome=$o WHERE id=$d",
            ("$d", deviceId), ("$g", generation), ("$now", now), ("$o", outcome));
        foreach ((string step, string result, string? detail) in audit)
        {
            Audit(c, tx, now, deviceId, "rotate", step, result, detail);
        }

        Audit(c, tx, now, deviceId, "rotate", "activate", "ok", $"generation {generation} active");
        Execute(c, tx, "DELETE FROM leases WHERE device_id=$d AND owner=$o", ("$d", deviceId), ("$o", owner.Id));
        tx.Commit();
    }

    /// <summary>The device never took the pending keys: they are retired (never to be used) and the active ones stay.</summary>
    public void AbandonPending(string deviceId, long generation, string reason, IEnumerable<(string Step, string Result, string? Detail)> audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        using SqliteConnection c = Connect();
        using SqliteTransaction tx = c.BeginTransaction();
        string now = Now();
        foreach ((string step, string result, string? detail) in audit)
        {
            Audit(c, tx, now, deviceId, "rotate", step, result, detail);
        }

        Execute(c, tx, "UPDATE keys SET state='retired', changed_at=$now WHERE device_id=$d AND generation=$g AND state='pending'",
            ("$d", deviceId), ("$g", generation), ("$now", now));
        Audit(c, tx, now, deviceId, "rotate", "abandon", "ok", $"generation {generation} retired unused: {reason}");
        tx.Commit();
    }

    /// <summary>Records how a rotation attempt ended when it did not complete, with its audit lines, and releases the lease.</summary>
    public void FinishWithoutRotation(string deviceId, LeaseOwner owner, string outcome, IEnumerable<(string Step, string Result, string? Detail)> audit)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(audit);
        using SqliteConnection c = Connect();
        using SqliteTransaction tx = c.BeginTransaction();
        string now = Now();
        foreach ((string step, string result, string? detail) in audit)
        {
            Audit(c, tx, now, deviceId, "rotate", step, result, detail);
        }

        Execute(c, tx, "UPDATE devices SET last_rotation_at=$now, last_rotation_outcome=$o WHERE id=$d", ("$d", deviceId), ("$now", now), ("$o", outcome));
        Execute(c, tx, "DELETE FROM leases WHERE device_id=$d AND owner=$o", ("$d", deviceId), ("$o", owner.Id));
        tx.Commit();
    }

    /// <summary>
    /// Reserves <paramref name="count"/> client invocation counters of a key set: returns the first, or null when the
    /// store does not know the counter (it must be read from the device first).
    /// </summary>
    public uint? ReserveCounters(string deviceId, CounterSet set, uint count)
    {
        using SqliteConnection c = Connect();
        using SqliteTransaction tx = c.BeginTransaction();
        uint? start = Reserve(c, tx, deviceId, set, count);
        tx.Commit();
        return start;
    }

    /// <summary>
    /// The device says its next acceptable counter is <paramref name="deviceNext"/>: reserves <paramref name="count"/>
    /// counters from the higher of that and the store's reservation, and returns the first.
    /// </summary>
    public uint RaiseCounters(string deviceId, CounterSet set, uint deviceNext, uint count)
    {
        using SqliteConnection c = Connect();
        using SqliteTransaction tx = c.BeginTransaction();
        long? reserved = Scalar<long?>(c, "SELECT reserved FROM counters WHERE device_id=$d AND ek_generation=$e AND ak_generation=$a", tx,
            ("$d", deviceId), ("$e", set.EncryptionGeneration), ("$a", set.AuthenticationGeneration));
        long start = Math.Max(reserved ?? 0, deviceNext);
        long end = start + count;
        if (end > uint.MaxValue)
        {
            throw new HeadEndStoreException(StoreFailure.Corrupt, $"{deviceId}: the invocation counter of key set {set} is exhausted: the keys must be replaced");
        }

        Execute(c, tx,
            "INSERT INTO counters(device_id, ek_generation, ak_generation, reserved) VALUES ($d, $e, $a, $r) " +
            "ON CONFLICT(device_id, ek_generation, ak_generation) DO UPDATE SET reserved = $r",
            ("$d", deviceId), ("$e", set.EncryptionGeneration), ("$a", set.AuthenticationGeneration), ("$r", end));
        tx.Commit();
        return (uint)start;
    }

    /// <summary>Releases a lease this owner holds (no-op otherwise).</summary>
    public void ReleaseLease(string deviceId, LeaseOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        using SqliteConnection c = Connect();
        Execute(c, null, "DELETE FROM leases WHERE device_id=$d AND owner=$o", ("$d", deviceId), ("$o", owner.Id));
    }

    private static uint? Reserve(SqliteConnection c, SqliteTransaction tx, string deviceId, CounterSet set, uint count)
    {
        long? reserved = Scalar<long?>(c, "SELECT reserved FROM counters WHERE device_id=$d AND ek_generation=$e AND ak_generation=$a", tx,
            ("$d", deviceId), ("$e", set.EncryptionGeneration), ("$a", set.AuthenticationGeneration));
        if (reserved is not long start || count == 0)
        {
            return reserved is long s ? (uint)s : null;
        }

        if (start + count > uint.MaxValue)
        {
            throw new HeadEndStoreException(StoreFailure.Corrupt, $"{deviceId}: the invocation counter of key set {set} is exhausted: the keys must be replaced");
        }

        Execute(c, tx, "UPDATE counters SET reserved = $r WHERE device_id=$d AND ek_generation=$e AND ak_generation=$a",
            ("$d", deviceId), ("$e", set.EncryptionGeneration), ("$a", set.AuthenticationGeneration), ("$r", start + count));
        return (uint)start;
    }

    private bool TryTakeLease(SqliteConnection c, SqliteTransaction tx, string deviceId, LeaseOwner owner, TimeSpan ttl, out string? holder, out DateTimeOffset? expires)
    {
        holder = null;
        expires = null;
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using (SqliteCommand cmd = Command(c, tx, "SELECT owner, expires_at FROM leases WHERE device_id=$d", [("$d", deviceId)]))
        using (SqliteDataReader r = cmd.ExecuteReader())
        {
            if (r.Read())
            {
                string current = r.GetString(0);
                long until = r.GetInt64(1);
                // A lease is free when it expired, when it is ours, or when its owner is a process of this machine that died.
                if (until > now && current != owner.Id && !LeaseOwner.IsDeadLocalOwner(current))
                {
                    holder = current;
                    expires = DateTimeOffset.FromUnixTimeMilliseconds(until);
                    return false;
                }
            }
        }

        Execute(c, tx,
            "INSERT INTO leases(device_id, owner, expires_at) VALUES ($d, $o, $x) ON CONFLICT(device_id) DO UPDATE SET owner=$o, expires_at=$x",
            ("$d", deviceId), ("$o", owner.Id), ("$x", now + (long)ttl.TotalMilliseconds));
        return true;
    }
}

/// <summary>
/// Who holds a rotation lease: host, process id and process start time, plus a random part so two owners in one
/// process differ. A lease whose owner is a process of this host that no longer runs is stale at once; any other
/// lease is stale when it expires.
/// </summary>
public sealed class LeaseOwner
{
    private LeaseOwner(string id) => Id = id;

    /// <summary>The owner string stored in the lease.</summary>
    public string Id { get; }

    /// <summary>An owner for this process.</summary>
    public static LeaseOwner ForThisProcess()
    {
        using Process self = Process.GetCurrentProcess();
        return new LeaseOwner($"{Environment.MachineName}/{Environment.ProcessId}/{self.StartTime.ToUniversalTime().Ticks}/{Guid.NewGuid():N}");
    }

    /// <summary>True when <paramref name="ownerId"/> names a process of this host that is no longer running.</summary>
    public static bool IsDeadLocalOwner(string ownerId)
    {
        ArgumentNullException.ThrowIfNull(ownerId);
        string[] parts = ownerId.Split('/');
        if (parts.Length != 4 || parts[0] != Environment.MachineName
            || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out int pid)
            || !long.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out long startTicks))
        {
            return false;
        }

        try
        {
            using Process process = Process.GetProcessById(pid);
            // A recycled pid belongs to a process that started at another time.
            return process.HasExited || process.StartTime.ToUniversalTime().Ticks != startTicks;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Id;
}
