using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client;

/// <summary>
/// A GET the caller needed a value from returned a data-access-result instead (e.g. read-write-denied,
/// object-undefined). Thrown by <see cref="DlmsClient.GetValueAsync"/>; <see cref="DlmsClient.GetAsync"/> returns the
/// result instead.
/// </summary>
public sealed class DlmsDataAccessException : DlmsException
{
    /// <summary>Creates the exception.</summary>
    public DlmsDataAccessException(CosemAttributeDescriptor attribute, DataAccessResult result)
        : base(DlmsFailureKind.DataAccess, $"reading {attribute} failed: data-access-result {result} ({(int)result})")
    {
        Attribute = attribute;
        Result = result;
    }

    /// <summary>The attribute that was read.</summary>
    public CosemAttributeDescriptor Attribute { get; }

    /// <summary>The data-access-result the server returned.</summary>
    public DataAccessResult Result { get; }

    /// <summary>True for temporary-failure; any other result is the server's lasting answer.</summary>
    public override bool IsTransient => Result == DataAccessResult.TemporaryFailure;
}
