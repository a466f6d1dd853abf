using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Devices.Runtime;

/// <summary>When keys accepted by key_transfer take effect.</summary>
public enum KeyActivation
{
    /// <summary>At the next association (what widely used servers do; docs/dlms-wire.md section 3).</summary>
    NextAssociation,
    /// <summary>Right after the key_transfer response (which is still protected with the old keys).</summary>
    Immediate,
}

/// <summary>
/// The security state of one logical device: keys in force and pending, the suite-0 cipher, the server's own
/// invocation counter and the highest IC accepted from each client. Not thread-safe: the owning
/// <see cref="LogicalDevice"/> serialises access.
/// <para>
/// Durability rules: a key change is stored before key_transfer answers success; the server's outgoing IC is
/// reserved in blocks that are stored before use, so no (key, IV) is ever reused, even after kill -9; the
/// highest accepted client ICs are stored when an association starts or ends and by periodic flushes.
/// </para>
/// </summary>
public sealed class DeviceSecurity : IDisposable
{
    /// <summary>How many outgoing ICs one stored reservation covers.</summary>
    public const uint ReservationBlock = 4096;

    private readonly Dictionary<ushort, IncomingInvocationCounter> _incoming = [];
    private readonly Action _persist;
    private OutgoingInvocationCounter _outgoing;
    private Suite0Cipher _cipher;
    private bool _incomingDirty;

    /// <summary>Creates the state; takes ownership of the key sets. Pending keys found at start-up are activated.</summary>
    internal DeviceSecurity(
        SystemTitle serverTitle,
        KeySet keys,
        KeySet? pending,
        uint outgoingReserved,
        IReadOnlyDictionary<ushort, uint> incoming,
        SecurityPolicy policy,
        long keyGeneration,
        KeyActivation activation,
        Action persist)
    {
        ServerTitle = serverTitle;
        Keys = keys;
        Pending = pending;
        Policy = policy;
        KeyGeneration = keyGeneration;
        Activation = activation;
        _persist = persist;
        foreach ((ushort sap, uint highest) in incoming)
        {
            _incoming[sap] = new IncomingInvocationCounter(highest);
        }

        // ICs below the stored reservation may have been used before a crash: start from it.
        OutgoingReserved = outgoingReserved;
        // Zero is a legal first IC, but a widely used client library records the server counter from 0 and refuses
        // anything not strictly above it: starting at 1 costs nothing and every client works.
        _outgoing = new OutgoingInvocationCounter(Math.Max(1u, outgoingReserved));
        _cipher = new Suite0Cipher(keys.Encryption, keys.Authentication);
        if (Pending is not null)
        {
            ActivatePendingCore();
        }
    }

    /// <summary>This device's system title.</summary>
    public SystemTitle ServerTitle { get; }

    /// <summary>Keys in force.</summary>
    public KeySet Keys { get; private set; }

    /// <summary>Keys accepted but not yet in force.</summary>
    public KeySet? Pending { get; private set; }

    /// <summary>Security policy in force.</summary>
    public SecurityPolicy Policy { get; private set; }

    /// <summary>Incremented on each key change.</summary>
    public long KeyGeneration { get; private set; }

    /// <summary>When accepted keys take effect.</summary>
    public KeyActivation Activation { get; }

    /// <summary>Stored upper bound of the outgoing IC.</summary>
    public uint OutgoingReserved { get; private set; }

    /// <summary>The next outgoing IC (not yet used).</summary>
    public uint? NextOutgoingInvocationCounter => _outgoing.NextValue;

    /// <summary>The cipher for the keys in force.</summary>
    public Suite0Cipher Cipher => _cipher;

    /// <summary>True when client ICs changed since the last store.</summary>
    public bool IncomingDirty => _incomingDirty;

    /// <summary>Highest accepted IC per client SAP.</summary>
    public IReadOnlyDictionary<ushort, uint> IncomingSnapshot()
        => _incoming.Where(p => p.Value.HighestAccepted.HasValue).ToDictionary(p => p.Key, p => p.Value.HighestAccepted!.Value);

    /// <summary>Highest IC accepted from <paramref name="clientSap"/> (0 when none), what the IC object shows.</summary>
    public uint HighestAccepted(ushort clientSap)
        => _incoming.TryGetValue(clientSap, out IncomingInvocationCounter? c) ? c.HighestAccepted ?? 0 : 0;

    /// <summary>The highest IC accepted from <paramref name="clientSap"/> under the keys in force, or null when none.</summary>
    public uint? HighestAcceptedOrNone(ushort clientSap)
        => _incoming.TryGetValue(clientSap, out IncomingInvocationCounter? c) ? c.HighestAccepted : null;

    /// <summary>
    /// Takes the next outgoing IC, first storing a new reservation when the stored one is used up.
    /// </summary>
    public uint NextOutgoing()
    {
        uint? next = _outgoing.NextValue;
        if (next is uint n && n >= OutgoingReserved)
        {
            OutgoingReserved = n > uint.MaxValue - ReservationBlock ? uint.MaxValue : n + ReservationBlock;
            _persist();
        }

        return _outgoing.Next();
    }

    /// <summary>Accepts a client IC or throws <see cref="DlmsSecurityException"/> (replay).</summary>
    public void AcceptIncoming(ushort clientSap, uint invocationCounter)
    {
        if (!_incoming.TryGetValue(clientSap, out IncomingInvocationCounter? counter))
        {
            counter = new IncomingInvocationCounter();
            _incoming[clientSap] = counter;
        }

        counter.Accept(invocationCounter);
        _incomingDirty = true;
    }

    /// <summary>True when <paramref name="invocationCounter"/> would be accepted from <paramref name="clientSap"/>.</summary>
    public bool WouldAcceptIncoming(ushort clientSap, uint invocationCounter)
        => !_incoming.TryGetValue(clientSap, out IncomingInvocationCounter? c) || c.WouldAccept(invocationCounter);

    /// <summary>Marks the client ICs as stored.</summary>
    internal void MarkIncomingStored() => _incomingDirty = false;

    /// <summary>security_activate: the policy may only gain protection (Blue Book 4.4.7).</summary>
    public ActionResult SecurityActivate(byte requested)
    {
        var policy = (SecurityPolicy)requested;
        if ((policy & Policy) != Policy || (policy & (SecurityPolicy.SignedRequest | SecurityPolicy.SignedResponse)) != 0
            || (requested & 0x03) != 0)
        {
            return ActionResult.OtherReason;
        }

        Policy = policy;
        _persist();
        return ActionResult.Success;
    }

    /// <summary>
    /// key_transfer (Security setup method 2). Every key is unwrapped under the KEK in force (RFC 3394) before
    /// anything changes; any failure changes nothing. On success the new keys are stored durably before this
    /// returns. Results: <see cref="ActionResult.OtherReason"/> for an unwrap integrity failure (wrong KEK or
    /// altered data); <see cref="ActionResult.TypeUnmatched"/> for an unknown key id, a repeated key id or a
    /// wrapped key of the wrong length; <see cref="ActionResult.ScopeOfAccessViolated"/> for a weak key (all bytes
    /// equal) or a new key equal to another key of the device (an EK equal to the AK), unless
    /// <see cref="FaultPlan.AcceptWeakKeys"/>; <see cref="ActionResult.TemporaryFailure"/> when refused by a fault.
    /// </summary>
    /// <exception cref="ConnectionDropRequestedException">A fault asked to drop the connection.</exception>
    public ActionResult KeyTransfer(IReadOnlyList<(byte KeyId, ReadOnlyMemory<byte> WrappedKey)> keys, FaultPlan faults)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(faults);
        if (faults.ShouldRefuseKeyTransfer())
        {
            return ActionResult.TemporaryFailure;
        }

        if (faults.ShouldDrop(FaultPoint.AfterKeyTransferReceived))
        {
            throw new ConnectionDropRequestedException(FaultPoint.AfterKeyTransferReceived);
        }

        if (keys.Count == 0)
        {
            return ActionResult.TypeUnmatched;
        }

        var unwrapped = new Dictionary<KeyId, SecretKey>();
        try
        {
            foreach ((byte id, ReadOnlyMemory<byte> wrapped) in keys)
            {
                if (id > (byte)KeyId.Master || unwrapped.ContainsKey((KeyId)id) || wrapped.Length != KeyWrap.Wrapped128Length)
                {
                    return ActionResult.TypeUnmatched;
                }

                try
                {
                    unwrapped[(KeyId)id] = KeyWrap.UnwrapKey(Keys.Master, wrapped.Span);
                }
                catch (DlmsSecurityException)
                {
                    return ActionResult.OtherReason;
                }
                catch (DlmsProtocolException)
                {
                    return ActionResult.TypeUnmatched;
                }
            }

            if (!faults.AcceptWeakKeys && HasWeakOrDuplicatedKey(unwrapped, Pending ?? Keys))
            {
                return ActionResult.ScopeOfAccessViolated;
            }

            if (faults.ShouldLosePowerBeforePersist())
            {
                throw new ConnectionDropRequestedException(FaultPoint.AfterKeyTransferReceived);
            }

            // A second key_transfer before activation builds on the keys already accepted.
            KeySet next = (Pending ?? Keys).With(unwrapped);
            KeySet? previous = Pending;
            Pending = next;
            KeyGeneration++;
            try
            {
                _persist();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not on disk means not accepted: the device must never use keys it could lose in a restart.
                Pending = previous;
                KeyGeneration--;
                next.Dispose();
                return ActionResult.HardwareFault;
            }

            previous?.Dispose();
        }
        finally
        {
            foreach (SecretKey key in unwrapped.Values)
            {
                key.Dispose();
            }
        }

        if (faults.ShouldDrop(FaultPoint.AfterKeyTransferPersisted))
        {
            throw new ConnectionDropRequestedException(FaultPoint.AfterKeyTransferPersisted);
        }

        return ActionResult.Success;
    }

    private static bool HasWeakOrDuplicatedKey(Dictionary<KeyId, SecretKey> incoming, KeySet current)
    {
        SecretKey? Role(KeyId id) => incoming.GetValueOrDefault(id) ?? id switch
        {
            KeyId.GlobalUnicastEncryption => current.Encryption,
            KeyId.GlobalBroadcastEncryption => current.Broadcast,
            KeyId.Authentication => current.Authentication,
            _ => current.Master,
        };

        foreach ((KeyId id, SecretKey key) in incoming)
        {
            ReadOnlySpan<byte> bytes = key.Span;
            if (!bytes.ContainsAnyExcept(bytes[0]))
            {
                return true;
            }

            foreach (KeyId other in (ReadOnlySpan<KeyId>)[KeyId.GlobalUnicastEncryption, KeyId.GlobalBroadcastEncryption, KeyId.Authentication, KeyId.Master])
            {
                if (other != id && Role(other) is { } otherKey && otherKey.KeyEquals(key))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Puts pending keys in force (at a new association, or right after the response in immediate mode).</summary>
    public void ActivatePending()
    {
        if (Pending is null)
        {
            return;
        }

        ActivatePendingCore();
        _persist();
    }

    private void ActivatePendingCore()
    {
        KeySet next = Pending!;
        if (next.CipherKeysDiffer(Keys))
        {
            // Counters belong to a key (docs/dlms-wire.md section 3): clients may start again under new EK/AK.
            _incoming.Clear();
            _incomingDirty = true;
        }

        Suite0Cipher oldCipher = _cipher;
        _cipher = new Suite0Cipher(next.Encryption, next.Authentication);
        oldCipher.Dispose();
        Keys.Dispose();
        Keys = next;
        Pending = null;
    }

    /// <summary>A snapshot of the key material for storage (copies; the caller disposes).</summary>
    internal (KeySet Keys, KeySet? Pending) CopyKeys() => (Keys.Copy(), Pending?.Copy());

    /// <inheritdoc />
    public void Dispose()
    {
        _cipher.Dispose();
        Keys.Dispose();
        Pending?.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"DeviceSecurity({ServerTitle}, generation {KeyGeneration}, keys redacted)";
}
