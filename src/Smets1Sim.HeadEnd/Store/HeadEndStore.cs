using System.Globalization;
using Microsoft.Data.Sqlite;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.HeadEnd.Store;

/// <summary>
/// The head-end key store: one SQLite file (WAL, synchronous=FULL, so a committed pending record survives a power
/// loss before anything is sent). Devices, their keys with a state each (encrypted at rest by <see cref="KeyProtector"/>),
/// client invocation counters per key set, rotation leases and an append-only audit log. One connection per operation
/// (pooled); a busy timeout lets several head-end processes share the file.
/// <code>
///   devices       id, premises, type, host, port, wPort, client/server system titles, commissioning, key_generation, last rotation
///   keys          (device, kind, generation) -> state pending|active|retired, changed_at, AES-GCM blob
///   counters      (device, ek generation, ak generation) -> reserved: every client IC below it may have been used
///   leases        device -> owner, expires_at: one rotation of a device at a time, across processes
///   audit         seq, at, device, operation, step, result, detail (never a key)
/// </code>
/// </summary>
public sealed partial class HeadEndStore : IDisposable
{
    /// <summary>The store file used when none is named.</summary>
    public const string DefaultFileName = "smets1sim-headend.db";

    /// <summary>The schema this code writes; older stores are migrated on open, newer ones refused.</summary>
    public const int SchemaVersion = 1;

    // "SMHE": marks the file as a head-end store (PRAGMA application_id).
    private const int ApplicationId = 0x534D4845;

    private static readonly string[] Migrations =
    [
        // 1: the first schema.
        """
        CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE devices (
            id TEXT PRIMARY KEY, premises_id TEXT NOT NULL, type TEXT NOT NULL, host TEXT NOT NULL, port INTEGER NOT NULL,
            wport INTEGER NOT NULL, client_system_title TEXT NOT NULL, server_system_title TEXT NOT NULL,
            commissioned_at TEXT NOT NULL, security_setup TEXT NOT NULL, invocation_counter_object TEXT NOT NULL,
            management_sap INTEGER NOT NULL, public_sap INTEGER NOT NULL, imported_at TEXT NOT NULL,
            key_generation INTEGER NOT NULL DEFAULT 0, last_rotation_at TEXT, last_rotation_outcome TEXT);
        CREATE TABLE keys (
            device_id TEXT NOT NULL REFERENCES devices(id), kind INTEGER NOT NULL, generation INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('pending','active','retired')), created_at TEXT NOT NULL, changed_at TEXT NOT NULL,
            blob BLOB NOT NULL, PRIMARY KEY (device_id, kind, generation));
        CREATE UNIQUE INDEX keys_one_active ON keys(device_id, kind) WHERE state = 'active';
        CREATE UNIQUE INDEX keys_one_pending ON keys(device_id, kind) WHERE state = 'pending';
        CREATE TABLE counters (
            device_id TEXT NOT NULL REFERENCES devices(id), ek_generation INTEGER NOT NULL, ak_generation INTEGER NOT NULL,
            reserved INTEGER, PRIMARY KEY (device_id, ek_generation, ak_generation));
        CREATE TABLE leases (device_id TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, device_id TEXT, operation TEXT NOT NULL, step TEXT NOT NULL,
            result TEXT NOT NULL, detail TEXT);
        CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """,
    ];

    private readonly string _connectionString;
    private readonly KeyProtector _protector;
    private readonly TimeProvider _time;
    private readonly string _synchronous;

    private HeadEndStore(string path, KeyProtector protector, TimeProvider time, bool durable)
    {
        Path = path;
        _synchronous = durable ? "FULL" : "NORMAL";
        _protector = protector;
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>The store file.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens (or creates) the store at <paramref name="path"/>, runs pending migrations and checks that
    /// <paramref name="masterKey"/> is the key the store was created with.
    /// </summary>
    /// <param name="path">The store file.</param>
    /// <param name="masterKey">The store master key.</param>
    /// <param name="time">The clock of leases and audit times.</param>
    /// <param name="durable">
    /// True (always, outside measurements): every commit is fsynced (synchronous=FULL). False only lets the benchmark
    /// show what the fsyncs cost: a power loss may then lose the last commits, pending records included.
    /// </param>
    /// <exception cref="HeadEndStoreException">A newer schema, not a head-end store, or the wrong master key.</exception>
    public static HeadEndStore Open(string path, SecretKey masterKey, TimeProvider? time = null, bool durable = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        var protector = new KeyProtector(masterKey);
        var store = new HeadEndStore(System.IO.Path.GetFullPath(path), protector, time ?? TimeProvider.System, durable);
        try
        {
            store.Migrate();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _protector.Dispose();
        // Pooled connections keep the file open (and the WAL); let them go with the store.
        using var probe = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(probe);
    }

    private void Migrate()
    {
        SqliteConnection c;
        long version;
        long applicationId;
        try
        {
            c = Connect();
            version = Scalar<long>(c, "PRAGMA user_version");
            applicationId = Scalar<long>(c, "PRAGMA application_id");
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26 or 11)
        {
            throw new HeadEndStoreException(StoreFailure.Corrupt, $"{Path}: not a head-end store (not an SQLite database)", ex);
        }

        using SqliteConnection connection = c;

        if (version > SchemaVersion)
        {
            throw new HeadEndStoreException(
                StoreFailure.NewerSchema,
                $"{Path}: written by a newer head-end (schema {version}; this one reads up to {SchemaVersion}): use a newer smets1sim");
        }

        if (version == 0 && Scalar<long>(c, "SELECT count(*) FROM sqlite_master") > 0 || version > 0 && applicationId != ApplicationId)
        {
            throw new HeadEndStoreException(StoreFailure.Corrupt, $"{Path}: not a head-end store (an SQLite database of something else)");
        }

        if (version < SchemaVersion)
        {
            Execute(c, null, "PRAGMA journal_mode=WAL");
            using SqliteTransaction tx = c.BeginTransaction();
            // Another process may have migrated between the check and the lock.
            version = Scalar<long>(c, "PRAGMA user_version", tx);
            for (long v = version; v < SchemaVersion; v++)
            {
                Execute(c, tx, Migrations[v]);
                if (v == 0)
                {
                    Execute(c, tx, "INSERT INTO meta(name, value) VALUES ('check', $v), ('created_at', $at)",
                        ("$v", _protector.CreateCheckValue()), ("$at", Now()));
                }
            }

            Execute(c, tx, $"PRAGMA application_id = {ApplicationId}");
            Execute(c, tx, $"PRAGMA user_version = {SchemaVersion}");
            tx.Commit();
        }

        byte[] check = Scalar<byte[]>(c, "SELECT value FROM meta WHERE name = 'check'");
        if (!_protector.VerifyCheckValue(check))
        {
            throw new HeadEndStoreException(
                StoreFailure.WrongMasterKey,
                $"{Path}: wrong store master key: it is not the key this store was created with (check SMETS1SIM_STORE_KEY or --store-key-file)");
        }
    }

    private SqliteConnection Connect()
    {
        var c = new SqliteConnection(_connectionString);
        try
        {
            c.Open();
            // Per connection: full fsync at every commit, and wait (rather than fail) while another process writes.
            Execute(c, null, $"PRAGMA synchronous={_synchronous}; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON");
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    private string Now() => _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static int Execute(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand cmd = Command(c, tx, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection c, string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] parameters)
    {
        using SqliteCommand cmd = Command(c, tx, sql, parameters);
        object? value = cmd.ExecuteScalar();
        Type type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, (string Name, object? Value)[] parameters)
    {
        SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach ((string name, object? value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return cmd;
    }

    private static void Audit(SqliteConnection c, SqliteTransaction tx, string at, string? deviceId, string operation, string step, string result, string? detail)
        => Execute(c, tx, "INSERT INTO audit(at, device_id, operation, step, result, detail) VALUES ($at, $d, $o, $s, $r, $x)",
            ("$at", at), ("$d", deviceId), ("$o", operation), ("$s", step), ("$r", result), ("$x", detail));

    private static DeviceRecord ReadDevice(SqliteDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), (ushort)r.GetInt32(5),
        SystemTitle.Parse(r.GetString(6)), SystemTitle.Parse(r.GetString(7)), ParseTime(r.GetString(8)),
        ObisCode.Parse(r.GetString(9)), ObisCode.Parse(r.GetString(10)), (ushort)r.GetInt32(11), (ushort)r.GetInt32(12),
        r.GetInt64(13), r.IsDBNull(14) ? null : ParseTime(r.GetString(14)), r.IsDBNull(15) ? null : r.GetString(15));

    private const string DeviceColumns =
        "id, premises_id, type, host, port, wport, client_system_title, server_system_title, commissioned_at, security_setup, " +
        "invocation_counter_object, management_sap, public_sap, key_generation, last_rotation_at, last_rotation_outcome";
}
