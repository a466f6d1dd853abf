using Smets1Sim.Dlms.Acse;
using Smets1Sim.Dlms.Security;

namespace Smets1Sim.Client.Tests.Fakes;

/// <summary>Runs a scripted server and the client side of a test together; the first to fail fails the test.</summary>
internal static class Scenario
{
    // A safety net so a broken script cannot hang the run; no test relies on it for timing.
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);

    private static readonly SecretKey SharedEk = TestKeys.Ek();
    private static readonly SecretKey SharedAk = TestKeys.Ak();

    public static async Task RunAsync(Func<CancellationToken, Task> server, Func<CancellationToken, Task> client)
    {
        using var cts = new CancellationTokenSource(SafetyNet);
        Task serverTask = Task.Run(() => server(cts.Token));
        Task clientTask = Task.Run(() => client(cts.Token));
        Task first = await Task.WhenAny(serverTask, clientTask);
        if (first.IsFaulted || first.IsCanceled)
        {
            await cts.CancelAsync();
            await first;
        }

        await Task.WhenAll(serverTask, clientTask);
    }

    /// <summary>Management-client options for HLS-GMAC with the test keys.</summary>
    public static DlmsClientOptions HlsOptions(ScriptedServer server, CipheringForm form = CipheringForm.ServiceSpecific, uint? initialCounter = 1) =>
        server.Options(clientSap: DlmsClientOptions.ManagementClientSap) with
        {
            Mechanism = AuthenticationMechanism.HlsGmac,
            ClientSystemTitle = TestKeys.ClientTitle,
            EncryptionKey = SharedEk,
            AuthenticationKey = SharedAk,
            InitialInvocationCounter = initialCounter,
            CipheringForm = form,
        };
}
