using System.Globalization;
using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client;

/// <summary>Security setup key_transfer (Blue Book, class 64 method 2).</summary>
public sealed partial class DlmsClient
{
    /// <summary>Global unicast encryption key (EK).</summary>
    public const byte GlobalUnicastEncryptionKeyId = 0;

    /// <summary>Global broadcast encryption key.</summary>
    public const byte GlobalBroadcastEncryptionKeyId = 1;

    /// <summary>Authentication key (AK).</summary>
    public const byte AuthenticationKeyId = 2;

    /// <summary>Master key (KEK).</summary>
    public const byte MasterKeyId = 3;

    /// <summary>
    /// Replaces keys on the server: invokes key_transfer (method 2) of the Security setup object
    /// <paramref name="securitySetup"/> with <c>array of structure { enum key_id, octet-string wrapped }</c>, each new
    /// key wrapped under the server's current <paramref name="kek"/> with RFC 3394 (24 bytes per 16-byte key). The
    /// association keeps using its keys; mainstream servers switch to the new ones at the next association.
    /// </summary>
    /// <param name="securitySetup">The Security setup object, e.g. 0-0:43.0.0.255.</param>
    /// <param name="keys">Key ids (0 EK, 1 broadcast EK, 2 AK, 3 master key) and the new 16-byte keys; at least one.</param>
    /// <param name="kek">The master key the server holds now.</param>
    /// <param name="cancellationToken">Cancels the call (and breaks the connection if the request went out).</param>
    /// <returns>The action-result: success, or why the server kept its old keys.</returns>
    /// <exception cref="InvalidOperationException">The association is not ciphered: keys are moved only under protection.</exception>
    public Task<ActionInvocationResult> KeyTransferAsync(
        ObisCode securitySetup,
        IReadOnlyList<(byte KeyId, SecretKey NewKey)> keys,
        SecretKey kek,
        CancellationToken cancellationToken = default)
    {
        DlmsValue parameters = KeyTransferParameters(keys, kek);
        if (_cipher is null)
        {
            throw new InvalidOperationException("key_transfer is sent only over a ciphered association");
        }

        var method = new CosemMethodDescriptor(CosemClassIds.SecuritySetup, securitySetup, CosemMethodIds.KeyTransfer);
        string ids = string.Join(",", keys.Select(k => k.KeyId.ToString(CultureInfo.InvariantCulture)));
        return RunAsync(
            "transfer keys",
            async token =>
            {
                ClientLog.KeyTransferSent(_logger, keys.Count, ids, securitySetup);
                ActionInvocationResult result = await InvokeCoreAsync(method, parameters, token).ConfigureAwait(false);
                ClientLog.KeyTransferAnswered(_logger, securitySetup, result.Result);
                return result;
            },
            cancellationToken);
    }

    /// <summary>
    /// The key_transfer method parameters: <c>array of structure { enum key_id, octet-string RFC 3394 wrap(kek, key) }</c>;
    /// even one key is an array of one (docs/dlms-wire.md section 3).
    /// </summary>
    /// <exception cref="ArgumentException">No keys, a key id above 3, or a key that is not 16 bytes (suite 0).</exception>
    public static DlmsValue KeyTransferParameters(IReadOnlyList<(byte KeyId, SecretKey NewKey)> keys, SecretKey kek)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(kek);
        if (keys.Count == 0)
        {
            throw new ArgumentException("key_transfer carries at least one key", nameof(keys));
        }

        var items = new DlmsValue[keys.Count];
        for (int i = 0; i < keys.Count; i++)
        {
            (byte keyId, SecretKey newKey) = keys[i];
            ArgumentNullException.ThrowIfNull(newKey, nameof(keys));
            if (keyId > MasterKeyId)
            {
                throw new ArgumentException($"key_id {keyId} is not one of 0 (EK), 1 (broadcast EK), 2 (AK), 3 (master key)", nameof(keys));
            }

            if (newKey.Length != Suite0Cipher.KeyLength)
            {
                throw new ArgumentException($"security suite 0 keys are {Suite0Cipher.KeyLength} bytes", nameof(keys));
            }

            items[i] = DlmsValue.Structure(new DlmsEnum(keyId), DlmsValue.OctetString(KeyWrap.Wrap(kek, newKey)));
        }

        return DlmsValue.Array(items);
    }
}
