using Microsoft.Extensions.Logging;
using Smets1Sim.Client;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Security;
using Smets1Sim.HeadEnd.Store;

namespace Smets1Sim.HeadEnd.Rotation;

/// <summary>
/// Opens HLS-GMAC associations (suite 0) with one device under a given EK/AK, drawing client invocation counters
/// from blocks reserved durably in the store, so no counter is ever used twice under one key, even across crashes
/// (the same scheme the devices use for theirs). The device's counter is read over the public client only when the
/// store does not know it, or when the device refuses an association with authentication-failure (a suite-0 server
/// cannot tell a replayed counter from a wrong key, so the head-end checks which it was).
/// </summary>
internal sealed class DeviceLink
{
    // An association uses at most: AARQ, HLS pass 3, a GET or two, key_transfer, a check transfer, RLRQ.
    private const uint PerAssociation = 8;
    private readonly HeadEndStore _store;
    private readonly DeviceRecord _device;
    private readonly LinkOptions _options;
    private readonly Dictionary<CounterSet, (uint Next, uint Limit)> _blocks = [];

    public DeviceLink(HeadEndStore store, DeviceRecord device, LinkOptions options)
    {
        _store = store;
        _device = device;
        _options = options;
    }

    public DeviceRecord Device => _device;

    /// <summary>Counters already reserved in the store for <paramref name="set"/>: [start, start + count).</summary>
    public void Seed(CounterSet set, uint start, uint count) => _blocks[set] = (start, start + count);

    /// <summary>Connects and associates under <paramref name="ek"/>/<paramref name="ak"/>; the caller releases and disposes.</summary>
    /// <exception cref="Dlms.DlmsException">The device refused, or could not be reached.</exception>
    public async Task<DlmsClient> OpenAsync(SecretKey ek, SecretKey ak, CounterSet set, CancellationToken cancellationToken)
    {
        uint start = await TakeAsync(set, deviceNext: null, cancellationToken).ConfigureAwait(false);
        try
        {
            return await OpenWithAsync(ek, ak, set, start, cancellationToken).ConfigureAwait(false);
        }
        catch (DlmsAssociationException refused) when (refused.IsAuthenticationFailure)
        {
            // Wrong keys, or a counter the device has already seen: ask the device which.
            uint deviceNext = await ReadDeviceCounterAsync(cancellationToken).ConfigureAwait(false);
            if (deviceNext <= start)
            {
                throw;
            }

            uint raised = await TakeAsync(set, deviceNext, cancellationToken).ConfigureAwait(false);
            return await OpenWithAsync(ek, ak, set, raised, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives back what an association did not use: the next association continues after the last counter used.</summary>
    public void Return(DlmsClient client, CounterSet set)
    {
        if (client.NextInvocationCounter is uint next && _blocks.TryGetValue(set, out (uint Next, uint Limit) block) && next > block.Next)
        {
            _blocks[set] = (Math.Min(next, block.Limit), block.Limit);
        }
    }

    /// <summary>Releases (tolerating a device that closes instead) and disposes the client, keeping its counters.</summary>
    public async Task CloseAsync(DlmsClient client, CounterSet set)
    {
        try
        {
            if (client.State == DlmsClientState.Associated)
            {
                // The client bounds the RLRQ by its response timeout and tolerates a device that closes instead.
                await client.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            Return(client, set);
            await client.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<DlmsClient> OpenWithAsync(SecretKey ek, SecretKey ak, CounterSet set, uint start, CancellationToken cancellationToken)
    {
        var client = new DlmsClient(ManagementOptions(ek, ak, start), _options.Logger, _options.Time);
        try
        {
            await client.OpenAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            Return(client, set);
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The first counter of a run of <see cref="PerAssociation"/> that no association has used.</summary>
    private async Task<uint> TakeAsync(CounterSet set, uint? deviceNext, CancellationToken cancellationToken)
    {
        if (deviceNext is null && _blocks.TryGetValue(set, out (uint Next, uint Limit) block) && block.Limit - block.Next >= PerAssociation)
        {
            // Taken before use: an association that dies half-way never gives its counters back.
            _blocks[set] = (block.Next + PerAssociation, block.Limit);
            return block.Next;
        }

        uint count = Math.Max(_options.CounterBlock, PerAssociation);
        uint start;
        if (deviceNext is uint floor)
        {
            start = _store.RaiseCounters(_device.Id, set, floor, count);
        }
        else if (_store.ReserveCounters(_device.Id, set, count) is uint reserved)
        {
            start = reserved;
        }
        else
        {
            start = _store.RaiseCounters(_device.Id, set, await ReadDeviceCounterAsync(cancellationToken).ConfigureAwait(false), count);
        }

        _blocks[set] = (start + PerAssociation, start + count);
        return start;
    }

    private Task<uint> ReadDeviceCounterAsync(CancellationToken cancellationToken)
        => DlmsClient.ReadNextInvocationCounterAsync(ManagementOptions(null, null, null), _options.Logger, _options.Time, cancellationToken);

    private DlmsClientOptions ManagementOptions(SecretKey? ek, SecretKey? ak, uint? start) => new()
    {
        Host = _device.Host,
        Port = _device.Port,
        ClientSap = _device.ManagementClientSap,
        ServerWPort = _device.WPort,
        Mechanism = ek is null ? AuthenticationMechanism.None : AuthenticationMechanism.HlsGmac,
        ClientSystemTitle = ek is null ? null : _device.ClientSystemTitle,
        ExpectedServerSystemTitle = _device.ServerSystemTitle,
        EncryptionKey = ek,
        AuthenticationKey = ak,
        InitialInvocationCounter = start,
        InvocationCounterObject = _device.InvocationCounterObject,
        ResponseTimeout = _options.ResponseTimeout,
    };
}

/// <summary>How the head-end talks to devices.</summary>
internal sealed record LinkOptions(TimeSpan ResponseTimeout, uint CounterBlock, ILogger? Logger, TimeProvider Time);
