using Smets1Sim.Dlms.Security;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Cosem.Tests.Fakes;

/// <summary>A security host with fixed attributes and canned answers; records every method call.</summary>
internal sealed class FakeSecurityHost : ISecurityHost
{
    public SecurityPolicy SecurityPolicy { get; init; } = SecurityPolicy.AuthenticatedRequest | SecurityPolicy.AuthenticatedResponse;

    public byte SecuritySuite { get; init; }

    public ReadOnlyMemory<byte> ClientSystemTitle { get; init; } = Convert.FromHexString("4D4D4D0000BC614E");

    public ReadOnlyMemory<byte> ServerSystemTitle { get; init; } = Convert.FromHexString("4D4D4D0000000001");

    public ActionResult ActivateResult { get; init; } = ActionResult.Success;

    public ActionResult KeyTransferResult { get; init; } = ActionResult.Success;

    public List<byte> ActivateCalls { get; } = [];

    /// <summary>Each key_transfer call as copied (key id, wrapped key) pairs.</summary>
    public List<List<(byte KeyId, byte[] WrappedKey)>> KeyTransferCalls { get; } = [];

    public ActionResult SecurityActivate(byte policy)
    {
        ActivateCalls.Add(policy);
        return ActivateResult;
    }

    public ActionResult KeyTransfer(IReadOnlyList<(byte KeyId, ReadOnlyMemory<byte> WrappedKey)> keys)
    {
        KeyTransferCalls.Add([.. keys.Select(k => (k.KeyId, k.WrappedKey.ToArray()))]);
        return KeyTransferResult;
    }
}
