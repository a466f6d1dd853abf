using Microsoft.Data.Sqlite;
using Smets1Sim.Client;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;
using Smets1Sim.HeadEnd.Store;

namespace Smets1Sim.HeadEnd.Rotation;

/// <summary>
/// Rotates the keys of one device, and settles a rotation an earlier run left pending, so that the store always ends
/// up agreeing with the device.
/// <code>
/// State machine (store state | what is on the wire):
///
///   ACTIVE(g) --BeginRotation: lease + new keys stored PENDING(g+1), fsync--> PENDING(g+1), nothing sent
///      associate under ACTIVE(g)          fails -> nothing was sent: ABANDON g+1 (retired), ACTIVE(g) stays
///      key_transfer(new keys wrapped under KEK(g))
///          answered error                 -> the device kept its keys (docs/fleet-file.md): ABANDON g+1
///          no answer (drop, timeout)      -> unknown: SETTLE
///          answered success               -> release, CONFIRM
///      CONFIRM: associate under the new EK/AK + GET (a KEK-only change: a check key_transfer of the
///               current EK wrapped under the new KEK, which only a device holding that KEK unwraps)
///          ok                             -> ACTIVATE: g+1 active, the keys it replaces retired, lease freed
///          fails                          -> SETTLE
///
///   SETTLE (also what the next run does first when it finds PENDING(g+1), wherever the last one died):
///      1. associate under the PENDING EK/AK        ok -> the device holds them -> ACTIVATE ("recovered")
///      2. else associate under the ACTIVE EK/AK    ok -> the device never took them -> ABANDON, rotate afresh
///      3. neither (or unreachable)                 -> keep PENDING, report; the next run settles it
///      (KEK-only: the check transfer under the pending KEK decides; broadcast-only: the transfer is re-sent,
///       it is idempotent.)
/// </code>
/// Why the pending keys are tried first: once the device has stored a key_transfer, an AARQ under the old keys is
/// refused and the first AARQ whose InitiateRequest deciphers under the new keys puts them in force (the device's
/// activation rule, docs/fleet-file.md and README), so the old keys can never work again and the new ones always do;
/// the common crash (killed after sending) settles in one association. When the device never stored the transfer (dropped before, lost power), the new keys
/// fail with authentication-failure, which changes nothing on the device, and the old keys then work. A key_transfer
/// is atomic on the device (all keys of one transfer or none), so one association decides for every key in it.
/// The pending record is written before any byte goes out and never deleted before one of the two key sets is proven,
/// so no crash point leaves the device with keys the store does not hold.
/// </summary>
public sealed class KeyRotator
{
    private readonly HeadEndStore _store;
    private readonly RotationOptions _options;
    private readonly LeaseOwner _owner;
    private readonly TimeProvider _time;

    /// <summary>Creates a rotator; <paramref name="owner"/> names this process in leases.</summary>
    public KeyRotator(HeadEndStore store, RotationOptions options, LeaseOwner owner, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _owner = owner ?? throw new ArgumentNullException(nameof(owner));
        _time = time ?? TimeProvider.System;
    }

    private enum Settled
    {
        Applied,
        NotApplied,
        Unknown,
    }

    /// <summary>One attempt at one device: settle what is pending, then rotate. Never throws for a device failure.</summary>
    public async Task<DeviceRotationResult> RotateAsync(string deviceId, CancellationToken cancellationToken)
    {
        DeviceRecord device = _store.GetDevice(deviceId);
        var link = new DeviceLink(_store, device, new LinkOptions(_options.ResponseTimeout, _options.CounterBlock, _options.Logger, _time));
        var audit = new List<(string Step, string Result, string? Detail)>();
        RotationStart start;
        Dictionary<KeyKind, SecretKey> fresh = NewKeys();
        try
        {
            start = _store.BeginRotation(deviceId, _owner, fresh, _options.LeaseTtl, _options.CounterBlock);
        }
        catch (SqliteException ex)
        {
            return Failed(device, RotationSteps.Store, $"the key store is busy or failing: {ex.Message}", transient: true);
        }
        catch (HeadEndStoreException ex)
        {
            return Failed(device, RotationSteps.Store, ex.Message, transient: false);
        }
        finally
        {
            Dispose(fresh);
        }

        if (!start.LeaseAcquired)
        {
            return Failed(device, RotationSteps.Lease, $"another head-end ({start.LeaseHolder}) holds the rotation lease until {start.LeaseExpires:O}", transient: true);
        }

        PendingRotation pending = start.Pending!;
        try
        {
            using DeviceKeys active = _store.LoadActiveKeys(deviceId);
            if (start.ActiveCounterStart is uint activeStart)
            {
                link.Seed(active.Counters, activeStart, _options.CounterBlock);
            }

            bool recovered = false;
            if (!start.PendingIsNew)
            {
                (Settled settled, string detail, bool transient) = await SettleAsync(link, active, pending, cancellationToken).ConfigureAwait(false);
                audit.Add((RotationSteps.Recover, settled.ToString(), detail));
                switch (settled)
                {
                    case Settled.Applied:
                        _store.CompleteRotation(deviceId, pending.Generation, _owner, "recovered", audit);
                        return new DeviceRotationResult(deviceId, RotationOutcome.Recovered, pending.Generation);
                    case Settled.NotApplied:
                        _store.AbandonPending(deviceId, pending.Generation, detail, audit);
                        audit.Clear();
                        pending.Dispose();
                        fresh = NewKeys();
                        try
                        {
                            pending = _store.RecordPending(deviceId, _owner, fresh, _options.LeaseTtl);
                        }
                        finally
                        {
                            Dispose(fresh);
                        }

                        recovered = true;
                        break;
                    default:
                        return Finish(device, RotationSteps.Recover, detail, transient, audit);
                }
            }
            else if (pending.ChangesCipherKeys)
            {
                // BeginRotation reserved the new EK/AK pair's first block, from 1.
                link.Seed(NextCounters(active, pending), 1, _options.CounterBlock);
            }

            return await RotateFreshAsync(link, active, pending, recovered, audit, cancellationToken).ConfigureAwait(false);
        }
        catch (HeadEndStoreException ex)
        {
            ReleaseQuietly(deviceId);
            return Failed(device, RotationSteps.Store, ex.Message, transient: false);
        }
        catch (SqliteException ex)
        {
            ReleaseQuietly(deviceId);
            return Failed(device, RotationSteps.Store, $"the key store is busy or failing: {ex.Message}", transient: true);
        }
        finally
        {
            pending.Dispose();
        }
    }

    private async Task<DeviceRotationResult> RotateFreshAsync(
        DeviceLink link, DeviceKeys active, PendingRotation pending, bool recovered, List<(string, string, string?)> audit, CancellationToken ct)
    {
        DeviceRecord device = link.Device;
        await CheckpointAsync(device.Id, RotationCheckpoint.PendingRecorded, ct).ConfigureAwait(false);
        DlmsClient client;
        try
        {
            client = await link.OpenAsync(active.Encryption, active.Authentication, active.Counters, ct).ConfigureAwait(false);
        }
        catch (DlmsException ex)
        {
            // Nothing was sent under this generation: the device cannot hold it.
            _store.AbandonPending(device.Id, pending.Generation, "no association to send it", audit);
            return Finish(device, RotationSteps.Associate, Describe(ex), ex.IsTransient, []);
        }

        ActionInvocationResult answer;
        try
        {
            await CheckpointAsync(device.Id, RotationCheckpoint.TransferSending, ct).ConfigureAwait(false);
            List<(byte, SecretKey)> keys = [.. pending.NewKeys.OrderBy(k => k.Key).Select(k => ((byte)k.Key, k.Value))];
            answer = await client.KeyTransferAsync(device.SecuritySetup, keys, active.Master, ct).ConfigureAwait(false);
        }
        catch (DlmsException ex)
        {
            await link.CloseAsync(client, active.Counters).ConfigureAwait(false);
            audit.Add((RotationSteps.Transfer, "no-answer", Describe(ex)));
            return await SettleAndFinishAsync(link, active, pending, RotationSteps.Transfer, Describe(ex), recovered, audit, ct).ConfigureAwait(false);
        }

        await link.CloseAsync(client, active.Counters).ConfigureAwait(false);
        if (!answer.IsSuccess)
        {
            // The device answered: it kept its keys (a refusal never changes them).
            string reason = $"the device answered key_transfer with {answer.Result}";
            _store.AbandonPending(device.Id, pending.Generation, reason, audit);
            return Finish(device, RotationSteps.Transfer, reason, answer.Result == ActionResult.TemporaryFailure, []);
        }

        audit.Add((RotationSteps.Transfer, "ok", $"generation {pending.Generation}: {KeyNames.Join(pending.NewKeys.Keys)}"));
        await CheckpointAsync(device.Id, RotationCheckpoint.TransferAnswered, ct).ConfigureAwait(false);
        try
        {
            await ConfirmAsync(link, active, pending, ct).ConfigureAwait(false);
        }
        catch (DlmsException ex)
        {
            audit.Add((RotationSteps.Confirm, "failed", Describe(ex)));
            return await SettleAndFinishAsync(link, active, pending, RotationSteps.Confirm, Describe(ex), recovered, audit, ct).ConfigureAwait(false);
        }

        audit.Add((RotationSteps.Confirm, "ok", null));
        await CheckpointAsync(device.Id, RotationCheckpoint.Confirmed, ct).ConfigureAwait(false);
        _store.CompleteRotation(device.Id, pending.Generation, _owner, recovered ? "recovered" : "rotated", audit);
        return new DeviceRotationResult(device.Id, recovered ? RotationOutcome.Recovered : RotationOutcome.Rotated, pending.Generation);
    }

    /// <summary>The outcome of a transfer or confirmation is unknown: settle it now, as the next run would.</summary>
    private async Task<DeviceRotationResult> SettleAndFinishAsync(
        DeviceLink link, DeviceKeys active, PendingRotation pending, string step, string reason, bool recovered, List<(string, string, string?)> audit, CancellationToken ct)
    {
        DeviceRecord device = link.Device;
        (Settled settled, string detail, bool transient) = await SettleAsync(link, active, pending, ct).ConfigureAwait(false);
        audit.Add((RotationSteps.Recover, settled.ToString(), detail));
        switch (settled)
        {
            case Settled.Applied:
                _store.CompleteRotation(device.Id, pending.Generation, _owner, recovered ? "recovered" : "rotated", audit);
                return new DeviceRotationResult(device.Id, recovered ? RotationOutcome.Recovered : RotationOutcome.Rotated, pending.Generation);
            case Settled.NotApplied:
                _store.AbandonPending(device.Id, pending.Generation, detail, audit);
                return Finish(device, step, reason, transient: true, []);
            default:
                return Finish(device, step, $"{reason}; {detail}", transient, audit);
        }
    }

    /// <summary>Proves the device holds the pending keys (see the state machine above).</summary>
    private static async Task ConfirmAsync(DeviceLink link, DeviceKeys active, PendingRotation pending, CancellationToken ct)
    {
        using DeviceKeys next = Combine(active, pending);
        DlmsClient client = await link.OpenAsync(next.Encryption, next.Authentication, next.Counters, ct).ConfigureAwait(false);
        try
        {
            await client.GetValueAsync(new CosemAttributeDescriptor(CosemClassIds.Data, WellKnownObis.LogicalDeviceName, 2), ct).ConfigureAwait(false);
            if (!pending.ChangesCipherKeys && pending.NewKeys.TryGetValue(KeyKind.Master, out SecretKey? newKek))
            {
                ActionInvocationResult check = await KekCheckAsync(client, link.Device, next, newKek, ct).ConfigureAwait(false);
                if (!check.IsSuccess)
                {
                    throw new DlmsServiceException(new ExceptionResponse
                    {
                        StateError = ExceptionStateError.ServiceNotAllowed,
                        ServiceError = ExceptionServiceError.OtherReason,
                    });
                }
            }
        }
        finally
        {
            await link.CloseAsync(client, next.Counters).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Which key set does the device hold? Never throws for a device failure: <see cref="Settled.Unknown"/> with the
    /// reason and whether trying again later may tell.
    /// </summary>
    private static async Task<(Settled, string, bool)> SettleAsync(DeviceLink link, DeviceKeys active, PendingRotation pending, CancellationToken ct)
    {
        using DeviceKeys next = Combine(active, pending);
        if (pending.ChangesCipherKeys)
        {
            DlmsException? pendingFailure;
            try
            {
                DlmsClient client = await link.OpenAsync(next.Encryption, next.Authentication, next.Counters, ct).ConfigureAwait(false);
                await link.CloseAsync(client, next.Counters).ConfigureAwait(false);
                return (Settled.Applied, $"the device opens associations with generation {pending.Generation}", false);
            }
            catch (DlmsException ex) when (ex is DlmsAssociationException { IsAuthenticationFailure: true } or DlmsSecurityException)
            {
                pendingFailure = ex;
            }
            catch (DlmsException ex)
            {
                return (Settled.Unknown, $"cannot tell which keys the device holds: {Describe(ex)}", ex.IsTransient);
            }

            try
            {
                DlmsClient client = await link.OpenAsync(active.Encryption, active.Authentication, active.Counters, ct).ConfigureAwait(false);
                await link.CloseAsync(client, active.Counters).ConfigureAwait(false);
                return (Settled.NotApplied, $"the device refuses generation {pending.Generation} and still opens with the active keys", false);
            }
            catch (DlmsException ex) when (ex is DlmsAssociationException { IsAuthenticationFailure: true } or DlmsSecurityException)
            {
                return (Settled.Unknown, $"neither the pending keys (generation {pending.Generation}: {Describe(pendingFailure)}) nor the active keys ({Describe(ex)}) open an association", false);
            }
            catch (DlmsException ex)
            {
                return (Settled.Unknown, $"cannot tell which keys the device holds: {Describe(ex)}", ex.IsTransient);
            }
        }

        // EK and AK unchanged: an association cannot tell; a key_transfer can.
        try
        {
            DlmsClient client = await link.OpenAsync(active.Encryption, active.Authentication, active.Counters, ct).ConfigureAwait(false);
            try
            {
                ActionInvocationResult result;
                if (pending.NewKeys.TryGetValue(KeyKind.Master, out SecretKey? newKek))
                {
                    result = await KekCheckAsync(client, link.Device, active, newKek, ct).ConfigureAwait(false);
                    return result.IsSuccess ? (Settled.Applied, "the device unwraps with the pending KEK", false)
                        : result.Result == ActionResult.OtherReason ? (Settled.NotApplied, "the device does not unwrap with the pending KEK", false)
                        : (Settled.Unknown, $"the KEK check was answered {result.Result}", result.Result == ActionResult.TemporaryFailure);
                }

                // Broadcast key only: setting it again to the same value is harmless, and a success proves it is there.
                List<(byte, SecretKey)> keys = [.. pending.NewKeys.Select(k => ((byte)k.Key, k.Value))];
                result = await client.KeyTransferAsync(link.Device.SecuritySetup, keys, active.Master, ct).ConfigureAwait(false);
                return result.IsSuccess ? (Settled.Applied, "the broadcast key was (re)sent and accepted", false)
                    : (Settled.Unknown, $"re-sending the broadcast key was answered {result.Result}", result.Result == ActionResult.TemporaryFailure);
            }
            finally
            {
                await link.CloseAsync(client, active.Counters).ConfigureAwait(false);
            }
        }
        catch (DlmsException ex)
        {
            return (Settled.Unknown, $"cannot tell which keys the device holds: {Describe(ex)}", ex.IsTransient);
        }
    }

    /// <summary>
    /// A key_transfer of the EK the device already holds, wrapped under <paramref name="kek"/>: success only when the
    /// device's KEK is <paramref name="kek"/>; it changes no key either way.
    /// </summary>
    private static Task<ActionInvocationResult> KekCheckAsync(DlmsClient client, DeviceRecord device, DeviceKeys current, SecretKey kek, CancellationToken ct)
        => client.KeyTransferAsync(device.SecuritySetup, [(DlmsClient.GlobalUnicastEncryptionKeyId, current.Encryption)], kek, ct);

    private static CounterSet NextCounters(DeviceKeys active, PendingRotation pending) => new(
        pending.NewKeys.ContainsKey(KeyKind.Encryption) ? pending.Generation : active.Counters.EncryptionGeneration,
        pending.NewKeys.ContainsKey(KeyKind.Authentication) ? pending.Generation : active.Counters.AuthenticationGeneration);

    /// <summary>The active keys with the pending ones laid over them (copies; the caller disposes).</summary>
    private static DeviceKeys Combine(DeviceKeys active, PendingRotation pending)
    {
        var keys = new Dictionary<KeyKind, (SecretKey, long)>();
        foreach (KeyKind kind in Enum.GetValues<KeyKind>())
        {
            if (pending.NewKeys.TryGetValue(kind, out SecretKey? key))
            {
                keys[kind] = (key.Copy(), pending.Generation);
            }
            else if (active.Get(kind) is { } current)
            {
                keys[kind] = (current.Copy(), active.GenerationOf(kind)!.Value);
            }
        }

        return new DeviceKeys(keys);
    }

    private Dictionary<KeyKind, SecretKey> NewKeys()
        => _options.Keys.Distinct().ToDictionary(k => k, _ => SecretKey.Generate(Suite0Cipher.KeyLength));

    private static void Dispose(Dictionary<KeyKind, SecretKey> keys)
    {
        foreach (SecretKey key in keys.Values)
        {
            key.Dispose();
        }
    }

    private async Task CheckpointAsync(string deviceId, RotationCheckpoint checkpoint, CancellationToken ct)
    {
        if (_options.Checkpoint is { } hook)
        {
            await hook(deviceId, checkpoint, ct).ConfigureAwait(false);
        }
    }

    private DeviceRotationResult Finish(DeviceRecord device, string step, string reason, bool transient, List<(string, string, string?)> audit)
    {
        audit.Add((step, "failed", reason));
        _store.FinishWithoutRotation(device.Id, _owner, $"failed at {step}: {reason}", audit);
        return Failed(device, step, reason, transient);
    }

    private static DeviceRotationResult Failed(DeviceRecord device, string step, string reason, bool transient)
        => new(device.Id, RotationOutcome.Failed, device.KeyGeneration, step, reason, transient);

    private void ReleaseQuietly(string deviceId)
    {
        try
        {
            _store.ReleaseLease(deviceId, _owner);
        }
        catch (SqliteException)
        {
            // The lease expires on its own.
        }
    }

    private static string Describe(DlmsException? ex) => ex is null ? "no error" : $"{ex.Kind}: {ex.Message}";
}
