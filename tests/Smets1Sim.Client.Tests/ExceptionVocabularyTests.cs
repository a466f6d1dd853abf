using System.Net.Sockets;
using Smets1Sim.Dlms;
using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Xdlms;

namespace Smets1Sim.Client.Tests;

/// <summary>Every failure a client caller meets is a <see cref="DlmsException"/> with a kind and a transience.</summary>
[TestClass]
public sealed class ExceptionVocabularyTests
{
    private static readonly CosemAttributeDescriptor Clock = new(8, new ObisCode(0, 0, 1, 0, 0, 255), 2);

    [TestMethod]
    public void ProtocolException_Always_PermanentProtocolKind()
    {
        DlmsException ex = new DlmsProtocolException("bad tag", 3);
        Assert.AreEqual(DlmsFailureKind.Protocol, ex.Kind);
        Assert.IsFalse(ex.IsTransient);
    }

    [TestMethod]
    [DataRow(SecurityFailure.AuthenticationFailed)]
    [DataRow(SecurityFailure.Replay)]
    [DataRow(SecurityFailure.KeyUnwrapFailed)]
    [DataRow(SecurityFailure.HlsAuthenticationFailed)]
    public void SecurityException_AnyFailure_PermanentSecurityKind(SecurityFailure failure)
    {
        DlmsException ex = new DlmsSecurityException(failure, "refused");
        Assert.AreEqual(DlmsFailureKind.Security, ex.Kind);
        Assert.IsFalse(ex.IsTransient);
    }

    [TestMethod]
    [DataRow(AssociationResult.RejectedPermanent, false)]
    [DataRow(AssociationResult.RejectedTransient, true)]
    public void AssociationException_Result_TransientOnlyWhenRejectedTransient(AssociationResult result, bool transient)
    {
        DlmsException ex = new DlmsAssociationException(result, AcseServiceUserDiagnostic.AuthenticationFailure, null, null);
        Assert.AreEqual(DlmsFailureKind.AssociationRefused, ex.Kind);
        Assert.AreEqual(transient, ex.IsTransient);
        Assert.IsTrue(((DlmsAssociationException)ex).IsAuthenticationFailure);
    }

    [TestMethod]
    [DataRow(DataAccessResult.TemporaryFailure, true)]
    [DataRow(DataAccessResult.ReadWriteDenied, false)]
    [DataRow(DataAccessResult.ObjectUndefined, false)]
    public void DataAccessException_Result_TransientOnlyForTemporaryFailure(DataAccessResult result, bool transient)
    {
        DlmsException ex = new DlmsDataAccessException(Clock, result);
        Assert.AreEqual(DlmsFailureKind.DataAccess, ex.Kind);
        Assert.AreEqual(transient, ex.IsTransient);
    }

    [TestMethod]
    public void ServiceException_InvocationCounterError_PermanentButFlagged()
    {
        var ex = new DlmsServiceException(new ExceptionResponse
        {
            StateError = ExceptionStateError.ServiceNotAllowed,
            ServiceError = ExceptionServiceError.InvocationCounterError,
            ExpectedInvocationCounter = 42,
        });
        Assert.AreEqual(DlmsFailureKind.ServiceRefused, ex.Kind);
        Assert.IsFalse(ex.IsTransient);
        Assert.IsTrue(ex.IsInvocationCounterError);
        Assert.AreEqual(42u, ex.ExpectedInvocationCounter);
    }

    [TestMethod]
    public void ServiceException_ConfirmedServiceError_PermanentNotCounterError()
    {
        var ex = new DlmsServiceException(ConfirmedServiceError.ForInitiate(InitiateError.DlmsVersionTooLow));
        Assert.AreEqual(DlmsFailureKind.ServiceRefused, ex.Kind);
        Assert.IsFalse(ex.IsTransient);
        Assert.IsFalse(ex.IsInvocationCounterError);
    }

    [TestMethod]
    [DataRow(typeof(EndOfStreamException), DlmsFailureKind.Connection)]
    [DataRow(typeof(IOException), DlmsFailureKind.Connection)]
    [DataRow(typeof(TimeoutException), DlmsFailureKind.Timeout)]
    public void ConnectionException_Wrap_KeepsCauseAndIsTransient(Type cause, DlmsFailureKind kind)
    {
        var inner = (Exception)Activator.CreateInstance(cause, "peer gone")!;
        Assert.IsTrue(DlmsConnectionException.IsCommunicationFailure(inner));
        DlmsConnectionException ex = DlmsConnectionException.Wrap(inner, "get on 127.0.0.1:1");
        Assert.AreEqual(kind, ex.Kind);
        Assert.IsTrue(ex.IsTransient);
        Assert.AreSame(inner, ex.InnerException);
        StringAssert.StartsWith(ex.Message, "get on 127.0.0.1:1: ");
    }

    [TestMethod]
    public void ConnectionException_WrapSocketError_NamesTheErrorCode()
    {
        DlmsConnectionException ex = DlmsConnectionException.Wrap(new SocketException((int)SocketError.ConnectionRefused), "connecting");
        Assert.AreEqual(DlmsFailureKind.Connection, ex.Kind);
        StringAssert.Contains(ex.Message, nameof(SocketError.ConnectionRefused));
    }

    [TestMethod]
    public void ConnectionException_NonCommunicationKind_ThrowsArgumentOutOfRange()
        => Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DlmsConnectionException(DlmsFailureKind.Protocol, "no"));

    [TestMethod]
    public void IsCommunicationFailure_DlmsOrCallerErrors_False()
    {
        Assert.IsFalse(DlmsConnectionException.IsCommunicationFailure(new DlmsProtocolException("x", 0)));
        Assert.IsFalse(DlmsConnectionException.IsCommunicationFailure(new InvalidOperationException()));
        Assert.IsFalse(DlmsConnectionException.IsCommunicationFailure(new OperationCanceledException()));
    }
}
