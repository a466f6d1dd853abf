using Smets1Sim.Client;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;
using Smets1Sim.HeadEnd.Rotation;
using Smets1Sim.HeadEnd.Store;

namespace Smets1Sim.HeadEnd.Access;

/// <summary>Reads any attribute of a device over the management association, with the keys the store calls active.</summary>
public sealed class AttributeReader
{
    private readonly HeadEndStore _store;
    private readonly TimeSpan _responseTimeout;
    private readonly TimeProvider _time;

    /// <summary>Creates the reader.</summary>
    public AttributeReader(HeadEndStore store, TimeSpan responseTimeout, TimeProvider? time = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _responseTimeout = responseTimeout;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Associates, reads <paramref name="attribute"/>, releases.</summary>
    /// <exception cref="HeadEndStoreException">Unknown device, or its keys do not decrypt.</exception>
    /// <exception cref="Dlms.DlmsException">The device refused or could not be reached; a data-access-result is a <see cref="DlmsDataAccessException"/>.</exception>
    public async Task<DlmsValue> ReadAsync(string deviceId, CosemAttributeDescriptor attribute, CancellationToken cancellationToken)
    {
        DeviceRecord device = _store.GetDevice(deviceId);
        using DeviceKeys keys = _store.LoadActiveKeys(deviceId);
        // Reads reserve counters of their own from the store, so a read never reuses a counter a rotation used.
        var link = new DeviceLink(_store, device, new LinkOptions(_responseTimeout, 16, null, _time));
        DlmsClient client = await link.OpenAsync(keys.Encryption, keys.Authentication, keys.Counters, cancellationToken).ConfigureAwait(false);
        try
        {
            return await client.GetValueAsync(attribute, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await link.CloseAsync(client, keys.Counters).ConfigureAwait(false);
        }
    }
}
