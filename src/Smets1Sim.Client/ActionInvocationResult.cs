using Smets1Sim.Dlms.Axdr;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client;

/// <summary>The outcome of an ACTION: the action-result and the return parameters, when the server sent any.</summary>
/// <param name="Result">The action-result.</param>
/// <param name="ReturnData">The return data, or null when the server sent none (or sent a data-access-result instead).</param>
/// <param name="ReturnDataError">The data-access-result the server sent in place of return data, or null.</param>
public sealed record ActionInvocationResult(ActionResult Result, DlmsValue? ReturnData = null, DataAccessResult? ReturnDataError = null)
{
    /// <summary>True when <see cref="Result"/> is success.</summary>
    public bool IsSuccess => Result == ActionResult.Success;
}
