using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Smets1Sim.Devices.Json;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;
using Smets1Sim.HeadEnd.Access;
using Smets1Sim.HeadEnd.Fleet;
using Smets1Sim.HeadEnd.Rotation;
using Smets1Sim.HeadEnd.Store;

namespace Smets1Sim.Cli.Commands;

/// <summary>
/// <c>smets1sim headend import|rotate|read|status|bench</c>: the key-rotation head-end over its key store. Parsing
/// and wiring only; the work lives in Smets1Sim.HeadEnd.
/// </summary>
internal static class HeadEndCommands
{
    /// <summary>Test hook, read only here: the head-end prints a marker line to stderr at every rotation checkpoint,
    /// and waits forever at the one named, so a test can SIGKILL it exactly there.</summary>
    internal const string PauseVariable = "SMETS1SIM_HEADEND_TEST_PAUSE_AT";

    internal static readonly SystemTitle DefaultClientTitle = SystemTitle.Parse("48454E4430303031");

    private static readonly Option<string> StoreOption = new("--store") { Description = "Key store file", DefaultValueFactory = _ => HeadEndStore.DefaultFileName };
    private static readonly Option<string?> KeyFileOption = new("--store-key-file") { Description = "File holding the store master key (64 hex digits); default: $SMETS1SIM_STORE_KEY" };
    private static readonly Option<bool> JsonOption = new("--json") { Description = "Print one JSON object on stdout" };
    private static readonly Option<int> TimeoutOption = new("--response-timeout-ms") { Description = "How long to wait for each reply", DefaultValueFactory = _ => 10_000 };

    public static Command Create()
    {
        var headend = new Command("headend", "Key-rotation head-end: import a fleet, rotate keys end to end, read attributes")
        {
            ImportCommand(), RotateCommand(), ReadCommand(), StatusCommand(), HeadEndReportCommand.Create(StoreOption, KeyFileOption), HeadEndBenchCommand.Create(),
        };
        return headend;
    }

    private static Command ImportCommand()
    {
        var file = new Argument<string>("FLEET") { Description = "Fleet file (docs/fleet-file.md)" };
        var title = new Option<string>("--client-system-title") { Description = "The head-end's system title for new devices (16 hex digits)", DefaultValueFactory = _ => DefaultClientTitle.ToString() };
        var import = new Command("import", "Load a fleet file into the key store (twice: addresses updated, rotated keys kept)") { file, title, StoreOption, KeyFileOption, JsonOption };
        import.SetAction((r, ct) => RunAsync(() =>
        {
            string path = r.GetValue(file)!;
            IReadOnlyList<FleetEntry> entries = FleetDocument.Read(path);
            if (!SystemTitle.TryParse(r.GetValue(title), out SystemTitle client))
            {
                throw new UsageException("--client-system-title must be 16 hex digits");
            }

            using HeadEndStore store = OpenStore(r);
            ImportReport report = store.Import(entries, client, Path.GetFullPath(path));
            if (r.GetValue(JsonOption))
            {
                WriteJson(w =>
                {
                    w.WriteString("event", "import");
                    w.WriteString("store", store.Path);
                    WriteList(w, "added", report.Added);
                    WriteList(w, "addressesUpdated", report.AddressesUpdated);
                    WriteList(w, "unchanged", report.Unchanged);
                    WriteList(w, "keysKeptBecauseRotated", report.KeysKeptBecauseRotated);
                    WriteList(w, "missingFromFile", report.MissingFromFile);
                });
            }
            else
            {
                Console.WriteLine($"imported {entries.Count} devices from {path} into {store.Path}: {report.Added.Count} added, {report.AddressesUpdated.Count} updated, {report.Unchanged.Count} unchanged");
                if (report.KeysKeptBecauseRotated.Count > 0)
                {
                    Console.WriteLine($"keys kept (changed by rotations since): {string.Join(", ", report.KeysKeptBecauseRotated)}");
                }

                if (report.MissingFromFile.Count > 0)
                {
                    Console.WriteLine($"in the store but not in {path} (kept): {string.Join(", ", report.MissingFromFile)}");
                }
            }

            return Task.FromResult(0);
        }));
        return import;
    }

    private static Command RotateCommand()
    {
        var ids = new Argument<string[]>("DEVICE-ID") { Description = "Devices to rotate", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Rotate every device in the store" };
        var keys = new Option<string>("--keys") { Description = "Keys to replace: ek, ak, kek, bk", DefaultValueFactory = _ => "ek,ak" };
        var concurrency = new Option<int>("--concurrency") { Description = "Devices rotated at once", DefaultValueFactory = _ => 8 };
        var attempts = new Option<int>("--attempts") { Description = "Attempts per device for transient failures", DefaultValueFactory = _ => 5 };
        var rotate = new Command("rotate", "Rotate keys end to end (pending first, key_transfer, confirm, activate); settles what an earlier run left pending")
        {
            ids, all, keys, concurrency, attempts, StoreOption, KeyFileOption, JsonOption, TimeoutOption,
        };
        rotate.SetAction((r, ct) => RunAsync(async () =>
        {
            string[] named = r.GetValue(ids) ?? [];
            if (r.GetValue(all) == named.Length > 0)
            {
                throw new UsageException("name the devices to rotate, or pass --all (not both)");
            }

            if (r.GetValue(concurrency) < 1 || r.GetValue(attempts) < 1)
            {
                throw new UsageException("--concurrency and --attempts must be positive");
            }

            IReadOnlyList<KeyKind> kinds;
            try
            {
                kinds = KeyNames.ParseList(r.GetValue(keys)!);
            }
            catch (FormatException ex)
            {
                throw new UsageException($"--keys: {ex.Message}");
            }

            using HeadEndStore store = OpenStore(r);
            IReadOnlyList<string> devices = named.Length > 0 ? named : store.DeviceIds();
            foreach (string id in devices)
            {
                store.GetDevice(id);
            }

            var options = new RotationOptions
            {
                Keys = kinds,
                MaxAttempts = r.GetValue(attempts),
                ResponseTimeout = TimeSpan.FromMilliseconds(r.GetValue(TimeoutOption)),
                Checkpoint = TestCheckpoint(),
            };
            bool json = r.GetValue(JsonOption);
            CampaignSummary summary = await HeadEndProgress.RunAsync(new RotationCampaign(store, options), devices, r.GetValue(concurrency), json, ct).ConfigureAwait(false);
            if (json)
            {
                WriteJson(w => WriteSummary(w, summary, kinds));
            }
            else
            {
                Console.WriteLine($"rotated {summary.Rotated}, recovered {summary.Recovered}, failed {summary.Failed} of {summary.Results.Count} ({KeyNames.Join(kinds)}) in {summary.Elapsed.TotalSeconds:F1} s");
                foreach (DeviceRotationResult failed in summary.Results.Where(x => !x.Succeeded))
                {
                    Console.WriteLine($"failed {failed.DeviceId} at {failed.Step}: {failed.Reason}");
                }
            }

            return summary.AllSucceeded ? 0 : 1;
        }));
        return rotate;
    }

    private static Command ReadCommand()
    {
        var id = new Argument<string>("DEVICE-ID");
        var obis = new Argument<string>("OBIS") { Description = "Logical name, 0.0.1.0.0.255 or 0-0:1.0.0.255" };
        var classId = new Argument<ushort>("CLASS") { Description = "Interface class id, e.g. 8 for the clock" };
        var attribute = new Argument<sbyte>("ATTRIBUTE") { Description = "Attribute index, e.g. 2" };
        var read = new Command("read", "Read any attribute with the keys the store holds") { id, obis, classId, attribute, StoreOption, KeyFileOption, JsonOption, TimeoutOption };
        read.SetAction((r, ct) => RunAsync(async () =>
        {
            string text = r.GetValue(obis)!;
            if (!TryParseObis(text, out ObisCode code))
            {
                throw new UsageException($"OBIS '{text}': expected A.B.C.D.E.F or A-B:C.D.E.F with groups 0..255");
            }

            var descriptor = new CosemAttributeDescriptor(r.GetValue(classId), code, r.GetValue(attribute));
            using HeadEndStore store = OpenStore(r);
            string deviceId = r.GetValue(id)!;
            DlmsValue value = await new AttributeReader(store, TimeSpan.FromMilliseconds(r.GetValue(TimeoutOption))).ReadAsync(deviceId, descriptor, ct).ConfigureAwait(false);
            if (r.GetValue(JsonOption))
            {
                WriteJson(w =>
                {
                    w.WriteString("device", deviceId);
                    w.WriteString("obis", code.ToString());
                    w.WriteNumber("class", descriptor.ClassId);
                    w.WriteNumber("attribute", descriptor.AttributeId);
                    w.WritePropertyName("value");
                    DlmsValueJson.Write(w, value);
                });
            }
            else
            {
                Console.WriteLine($"{deviceId} {code} class {descriptor.ClassId} attribute {descriptor.AttributeId}: {ValueText(value)}");
            }

            return 0;
        }));
        return read;
    }

    private static Command StatusCommand()
    {
        var status = new Command("status", "Every device: key generation, key states and ages, last rotation, pending work") { StoreOption, KeyFileOption, JsonOption };
        status.SetAction((r, ct) => RunAsync(() =>
        {
            using HeadEndStore store = OpenStore(r);
            IReadOnlyList<DeviceStatus> devices = store.Status();
            DateTimeOffset now = DateTimeOffset.UtcNow;
            if (r.GetValue(JsonOption))
            {
                WriteJson(w =>
                {
                    w.WriteString("store", store.Path);
                    w.WriteStartArray("devices");
                    foreach (DeviceStatus d in devices)
                    {
                        w.WriteStartObject();
                        w.WriteString("id", d.Device.Id);
                        w.WriteString("type", d.Device.Type);
                        w.WriteString("endpoint", $"{d.Device.Host}:{d.Device.Port}/{d.Device.WPort}");
                        w.WriteNumber("keyGeneration", d.Device.KeyGeneration);
                        w.WriteStartArray("keys");
                        foreach (StoredKeyInfo k in d.Keys)
                        {
                            w.WriteStartObject();
                            w.WriteString("key", k.Kind.Label());
                            w.WriteNumber("generation", k.Generation);
                            w.WriteString("state", k.State.Label());
                            w.WriteString("since", k.ChangedAt);
                            w.WriteNumber("ageSeconds", Math.Round((now - k.ChangedAt).TotalSeconds));
                            w.WriteEndObject();
                        }

                        w.WriteEndArray();
                        WriteOptional(w, "lastRotationAt", d.Device.LastRotationAt);
                        w.WriteString("lastRotationOutcome", d.Device.LastRotationOutcome);
                        if (d.PendingGeneration is long p)
                        {
                            w.WriteNumber("pendingGeneration", p);
                        }
                        else
                        {
                            w.WriteNull("pendingGeneration");
                        }

                        w.WriteString("lease", d.LeaseHolder);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
            }
            else
            {
                foreach (DeviceStatus d in devices)
                {
                    string keys = string.Join(" ", d.Keys.Select(k => $"{k.Kind.Label()}#{k.Generation}:{k.State.Label()}({Age(now - k.ChangedAt)})"));
                    string pending = d.PendingGeneration is long p ? $" PENDING generation {p} (the next rotate settles it)" : string.Empty;
                    string last = d.Device.LastRotationAt is { } at ? $"last rotation {at:u}: {d.Device.LastRotationOutcome}" : "never rotated";
                    Console.WriteLine($"{d.Device.Id} {d.Device.Type} {d.Device.Host}:{d.Device.Port}/{d.Device.WPort} generation {d.Device.KeyGeneration} {keys}; {last}{pending}");
                }

                Console.WriteLine($"{devices.Count} devices, {devices.Count(d => d.PendingGeneration is not null)} with pending work ({store.Path})");
            }

            return Task.FromResult(0);
        }));
        return status;
    }

    internal static HeadEndStore OpenStore(ParseResult r)
    {
        using SecretKey master = StoreMasterKey.Load(r.GetValue(KeyFileOption));
        return HeadEndStore.Open(r.GetValue(StoreOption)!, master);
    }

    /// <summary>Every expected failure becomes one line on stderr that says what and where, and a non-zero exit.</summary>
    internal static Task<int> RunAsync(Func<Task<int>> action) => CliErrors.RunAsync(async () =>
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (HeadEndStoreException ex)
        {
            await Console.Error.WriteLineAsync($"smets1sim: {ex.Message}").ConfigureAwait(false);
            return ex.Failure is StoreFailure.MasterKeyMissing or StoreFailure.MasterKeyUnreadable or StoreFailure.UnknownDevice ? CliErrors.BadInput : CliErrors.Failed;
        }
        catch (FleetFileException ex)
        {
            await Console.Error.WriteLineAsync($"smets1sim: {ex.Message}").ConfigureAwait(false);
            return CliErrors.BadInput;
        }
        catch (DlmsException ex)
        {
            await Console.Error.WriteLineAsync($"smets1sim: {ex.Message}").ConfigureAwait(false);
            return CliErrors.Failed;
        }
    });

    internal static bool TryParseObis(string text, out ObisCode code)
    {
        string[] groups = text.Split('.');
        if (groups.Length == 6)
        {
            text = $"{groups[0]}-{groups[1]}:{groups[2]}.{groups[3]}.{groups[4]}.{groups[5]}";
        }

        return ObisCode.TryParse(text, out code);
    }

    internal static void WriteJson(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonFiles.Compact))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        Console.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteSummary(Utf8JsonWriter w, CampaignSummary summary, IReadOnlyList<KeyKind> kinds)
    {
        w.WriteString("event", "rotate");
        w.WriteString("keys", KeyNames.Join(kinds));
        w.WriteNumber("devices", summary.Results.Count);
        w.WriteNumber("rotated", summary.Rotated);
        w.WriteNumber("recovered", summary.Recovered);
        w.WriteNumber("failed", summary.Failed);
        w.WriteNumber("seconds", Math.Round(summary.Elapsed.TotalSeconds, 3));
        w.WriteStartArray("results");
        foreach (DeviceRotationResult x in summary.Results)
        {
            w.WriteStartObject();
            w.WriteString("device", x.DeviceId);
            w.WriteString("outcome", x.Outcome.ToString().ToLowerInvariant());
            w.WriteNumber("keyGeneration", x.KeyGeneration);
            w.WriteNumber("attempts", x.Attempts);
            if (x.Step is not null)
            {
                w.WriteString("step", x.Step);
                w.WriteString("reason", x.Reason);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteList(Utf8JsonWriter w, string name, IReadOnlyList<string> items)
    {
        w.WriteStartArray(name);
        foreach (string item in items)
        {
            w.WriteStringValue(item);
        }

        w.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            w.WriteString(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string ValueText(DlmsValue value)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, JsonFiles.Compact))
        {
            DlmsValueJson.Write(w, value);
        }

        string json = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        if (value is DlmsOctetString octets && octets.Value.All(b => b is >= 0x20 and < 0x7F))
        {
            json += $" \"{System.Text.Encoding.ASCII.GetString(octets.Value.AsSpan())}\"";
        }

        return json;
    }

    private static string Age(TimeSpan age) => age.TotalDays >= 1 ? $"{age.TotalDays:F0}d" : age.TotalHours >= 1 ? $"{age.TotalHours:F0}h" : age.TotalMinutes >= 1 ? $"{age.TotalMinutes:F0}m" : $"{Math.Max(0, age.TotalSeconds):F0}s";

    private static Func<string, RotationCheckpoint, CancellationToken, Task>? TestCheckpoint()
    {
        string? pauseAt = Environment.GetEnvironmentVariable(PauseVariable);
        if (string.IsNullOrEmpty(pauseAt))
        {
            return null;
        }

        return async (device, checkpoint, ct) =>
        {
            string name = checkpoint.Name();
            bool pause = string.Equals(name, pauseAt, StringComparison.Ordinal);
            await Console.Error.WriteLineAsync($"smets1sim-test: {(pause ? "paused at" : "at")} {name} {device}").ConfigureAwait(false);
            await Console.Error.FlushAsync(ct).ConfigureAwait(false);
            if (pause)
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
        };
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
