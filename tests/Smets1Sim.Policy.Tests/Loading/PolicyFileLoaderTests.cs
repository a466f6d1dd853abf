using Smets1Sim.Policy.Loading;
using Smets1Sim.Policy.Model;
using Smets1Sim.Policy.Policies;

namespace Smets1Sim.Policy.Tests.Loading;

[TestClass]
public sealed class PolicyFileLoaderTests
{
    private const string ValidYaml = """
        # A stricter house policy.
        name: strict-12m
        title: Twelve-month rotation with compromise response
        rules:
          - id: ek-ak
            clause: House policy 4.2
            keys: [EK, AK]
            deviceTypes: [ESME, gpf]
            postCommissioning: P7D
            maxInterval: P1Y
            triggers:
              - event: suspected-compromise
                within: PT24H
              - event: change-of-supplier
                within: P30D
          - id: kek
            keys:
              - KEK
            postCommissioning: P2W
        """;

    private const string ValidJson = """
        {
          "name": "strict-12m",
          "title": "Twelve-month rotation with compromise response",
          "rules": [
            {
              "id": "ek-ak",
              "clause": "House policy 4.2",
              "keys": ["EK", "AK"],
              "deviceTypes": ["ESME", "gpf"],
              "postCommissioning": "P7D",
              "maxInterval": "P1Y",
              "triggers": [
                { "event": "suspected-compromise", "within": "PT24H" },
                { "event": "change-of-supplier", "within": "P30D" }
              ]
            },
            { "id": "kek", "keys": ["KEK"], "postCommissioning": "P2W" }
          ]
        }
        """;

    [TestMethod]
    [DataRow("policy.yaml", ValidYaml)]
    [DataRow("policy.json", ValidJson)]
    public void Parse_ValidFile_AllFieldsRead(string file, string text)
    {
        KeyPolicy policy = PolicyFileLoader.Parse(file, text, PolicyFileLoader.FormatOf(file));

        Assert.AreEqual("strict-12m", policy.Name);
        Assert.AreEqual("Twelve-month rotation with compromise response", policy.Title);
        Assert.HasCount(2, policy.Rules);
        PolicyRule ekAk = policy.Rules[0];
        Assert.AreEqual("House policy 4.2", ekAk.Clause);
        CollectionAssert.AreEquivalent(new[] { KeyKind.EK, KeyKind.AK }, ekAk.Keys.ToArray());
        CollectionAssert.AreEquivalent(new[] { "ESME", "GPF" }, ekAk.DeviceTypes.ToArray());
        Assert.AreEqual(PolicyPeriod.FromDays(7), ekAk.PostCommissioning);
        Assert.AreEqual(PolicyPeriod.FromMonths(12), ekAk.MaxInterval);
        CollectionAssert.AreEqual(
            new[] { new TriggerRule(TriggerKind.SuspectedCompromise, PolicyPeriod.FromHours(24)), new TriggerRule(TriggerKind.ChangeOfSupplier, PolicyPeriod.FromDays(30)) },
            ekAk.Triggers.ToArray());
        PolicyRule kek = policy.Rules[1];
        Assert.AreEqual("custom policy strict-12m", kek.Clause);
        Assert.HasCount(4, kek.DeviceTypes, "all four types when absent");
        Assert.IsNull(kek.MaxInterval);
        Assert.AreEqual(PolicyPeriod.FromDays(14), kek.PostCommissioning);
        Assert.AreEqual("Replace KEK of CHF, ESME, GPF, PPMID within 14 days of commissioning, no periodic rotation.", kek.Description);
    }

    [TestMethod]
    public async Task LoadAsync_FileOnDisk_ParsedByExtension()
    {
        string path = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(path, ValidYaml, TestContext.CancellationToken);
        try
        {
            KeyPolicy policy = await PolicyFileLoader.LoadAsync(path, TestContext.CancellationToken);

            Assert.AreEqual("strict-12m", policy.Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public async Task LoadAsync_MissingFile_OneLineNamingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.yaml");

        var e = await Assert.ThrowsExactlyAsync<PolicyFileException>(() => PolicyFileLoader.LoadAsync(path, TestContext.CancellationToken));

        Assert.StartsWith($"{path}: cannot read: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [TestMethod]
    public void FormatOf_UnknownExtension_Throws()
    {
        var e = Assert.ThrowsExactly<PolicyFileException>(() => PolicyFileLoader.FormatOf("p.toml"));

        Assert.AreEqual("p.toml: unknown extension (expected .yaml, .yml or .json)", e.Message);
    }

    public TestContext TestContext { get; set; } = null!;

    private const string Rule = "rules:\n  - id: r\n    keys: [EK]\n    postCommissioning: P7D\n";

    /// <summary>Broken YAML files, each with the exact one-line message it must give.</summary>
    public static IEnumerable<object[]> BrokenYaml =>
    [
        ["Empty", "", "p.yaml:1: empty file"],
        ["NotYaml", "name: [x\n", "p.yaml:2: not valid YAML: While parsing a flow sequence, did not find expected ',' or ']'"],
        ["RootIsList", "- a\n", "p.yaml:1: field '(document)': must be a mapping of fields, not a list"],
        ["NoName", Rule, "p.yaml:1: field 'name': is required"],
        ["BadName", "name: Strict Policy\n" + Rule, "p.yaml:1: field 'name': 'Strict Policy' must be 1 to 40 characters of a-z, 0-9 and '-'"],
        ["UnknownTopField", "name: p\nrule: []\n", "p.yaml:2: field 'rule': unknown field (expected one of: name, title, rules)"],
        ["NoRules", "name: p\n", "p.yaml:1: field 'rules': is required"],
        ["RulesEmpty", "name: p\nrules: []\n", "p.yaml:2: field 'rules': must list at least one rule"],
        ["RulesNotList", "name: p\nrules: x\n", "p.yaml:2: field 'rules': must be a list, not a single value"],
        ["RuleNotMapping", "name: p\nrules:\n  - x\n", "p.yaml:3: field 'rules[0]': must be a mapping of fields, not a single value"],
        ["UnknownRuleField", "name: p\n" + Rule + "    maxIntervall: P15M\n", "p.yaml:6: field 'rules[0].maxIntervall': unknown field (expected one of: id, clause, description, keys, deviceTypes, postCommissioning, maxInterval, triggers)"],
        ["NoId", "name: p\nrules:\n  - keys: [EK]\n    postCommissioning: P7D\n", "p.yaml:3: field 'rules[0].id': is required"],
        ["DuplicateId", "name: p\n" + Rule + "  - id: r\n    keys: [AK]\n    postCommissioning: P7D\n", "p.yaml:6: field 'rules[1].id': 'r' is already the id of an earlier rule"],
        ["NoKeys", "name: p\nrules:\n  - id: r\n    postCommissioning: P7D\n", "p.yaml:3: field 'rules[0].keys': is required"],
        ["KeysEmpty", "name: p\nrules:\n  - id: r\n    keys: []\n    postCommissioning: P7D\n", "p.yaml:4: field 'rules[0].keys': must list at least one key"],
        ["UnknownKey", "name: p\nrules:\n  - id: r\n    keys: [EK, GUEK]\n    postCommissioning: P7D\n", "p.yaml:4: field 'rules[0].keys[1]': unknown key 'GUEK' (expected one of: EK, AK, BroadcastKey, KEK)"],
        ["KeyTwice", "name: p\nrules:\n  - id: r\n    keys: [EK, ek]\n    postCommissioning: P7D\n", "p.yaml:4: field 'rules[0].keys[1]': 'EK' is listed twice"],
        ["KeyIsMapping", "name: p\nrules:\n  - id: r\n    keys:\n      - {a: b}\n    postCommissioning: P7D\n", "p.yaml:5: field 'rules[0].keys[0]': must be a single value, not a mapping"],
        ["UnknownType", "name: p\n" + Rule + "    deviceTypes: [ESME, GSME]\n", "p.yaml:6: field 'rules[0].deviceTypes[1]': unknown device type 'GSME' (expected one of: CHF, ESME, GPF, PPMID)"],
        ["TypesEmpty", "name: p\n" + Rule + "    deviceTypes: []\n", "p.yaml:6: field 'rules[0].deviceTypes': must list at least one device type (or be left out for all four)"],
        ["NoPostCommissioning", "name: p\nrules:\n  - id: r\n    keys: [EK]\n", "p.yaml:3: field 'rules[0].postCommissioning': is required"],
        ["PostCommissioningNull", "name: p\nrules:\n  - id: r\n    keys: [EK]\n    postCommissioning:\n", "p.yaml:5: field 'rules[0].postCommissioning': must be a single value, not null"],
        ["DaysWithoutIso", "name: p\nrules:\n  - id: r\n    keys: [EK]\n    postCommissioning: 7 days\n", "p.yaml:5: field 'rules[0].postCommissioning': '7 days' is not an ISO 8601 duration such as P7D, PT24H or P15M"],
        ["ZeroInterval", "name: p\n" + Rule + "    maxInterval: P0M\n", "p.yaml:6: field 'rules[0].maxInterval': must be longer than zero"],
        ["UnitsOutOfOrder", "name: p\n" + Rule + "    maxInterval: P3M1Y\n", "p.yaml:6: field 'rules[0].maxInterval': 'P3M1Y' is not an ISO 8601 duration such as P7D, PT24H or P15M"],
        ["TriggersNotList", "name: p\n" + Rule + "    triggers: manual\n", "p.yaml:6: field 'rules[0].triggers': must be a list, not a single value"],
        ["UnknownEvent", "name: p\n" + Rule + "    triggers:\n      - event: meter-exchange\n        within: P1D\n", "p.yaml:7: field 'rules[0].triggers[0].event': unknown event 'meter-exchange' (expected one of: suspected-compromise, change-of-supplier, manual)"],
        ["EventTwice", "name: p\n" + Rule + "    triggers:\n      - event: manual\n        within: P1D\n      - event: manual\n        within: P2D\n", "p.yaml:9: field 'rules[0].triggers[1].event': 'manual' already has a trigger in this rule"],
        ["TriggerWithoutWithin", "name: p\n" + Rule + "    triggers:\n      - event: manual\n", "p.yaml:7: field 'rules[0].triggers[0].within': is required"],
        ["TriggerUnknownField", "name: p\n" + Rule + "    triggers:\n      - event: manual\n        deadline: P1D\n", "p.yaml:8: field 'rules[0].triggers[0].deadline': unknown field (expected one of: event, within)"],
        ["Alias", "a: &x [EK]\nname: p\nrules:\n  - id: r\n    keys: *x\n    postCommissioning: P7D\n", "p.yaml:5: YAML aliases (*name) are not supported"],
        ["TooDeep", "name: " + new string('[', 40) + new string(']', 40) + "\n", "p.yaml:1: nested deeper than 16 levels"],
        ["DuplicateKey", "name: p\nname: q\n" + Rule, "p.yaml:2: not valid YAML: Duplicate key name"],
    ];

    [TestMethod]
    [DynamicData(nameof(BrokenYaml))]
    public void Parse_BrokenYaml_ExactOneLineMessage(string defect, string text, string expected)
    {
        var e = Assert.ThrowsExactly<PolicyFileException>(() => PolicyFileLoader.Parse("p.yaml", text, PolicyFileFormat.Yaml), defect);

        Assert.AreEqual(expected, e.Message, $"{defect} gave: {e.Message}");
    }

    /// <summary>Broken JSON files: syntax errors, and the same validator's messages with JSON's lines.</summary>
    public static IEnumerable<object[]> BrokenJson =>
    [
        ["Empty", "", "p.json:1: not valid JSON: The input does not contain any JSON tokens"],
        ["Truncated", "{\n  \"name\": \"p\",\n", "p.json:3: not valid JSON: Expected start of a property name or value, but instead reached end of data"],
        ["TrailingComma", "{\n  \"name\": \"p\",\n}\n", "p.json:3: not valid JSON: The JSON object contains a trailing comma at the end which is not supported in this mode"],
        ["TextAfter", "{}\n{}\n", "p.json:2: not valid JSON: '{' is invalid after a single JSON value"],
        ["DuplicateKey", "{\n  \"name\": \"p\",\n  \"name\": \"q\"\n}\n", "p.json:3: duplicate key 'name'"],
        ["NameIsNumber", "{ \"name\": 7,\n  \"rules\": 1 }", "p.json:2: field 'rules': must be a list, not a single value"],
        ["BadInterval", "{\n  \"name\": \"p\",\n  \"rules\": [\n    {\n      \"id\": \"r\",\n      \"keys\": [\"EK\"],\n      \"postCommissioning\": \"P7D\",\n      \"maxInterval\": \"15 months\"\n    }\n  ]\n}\n",
            "p.json:8: field 'rules[0].maxInterval': '15 months' is not an ISO 8601 duration such as P7D, PT24H or P15M"],
        ["KeyNull", "{\n  \"name\": \"p\",\n  \"rules\": [ { \"id\": \"r\",\n    \"keys\": [null], \"postCommissioning\": \"P7D\" } ]\n}", "p.json:4: field 'rules[0].keys[0]': must be a single value, not null"],
    ];

    [TestMethod]
    [DynamicData(nameof(BrokenJson))]
    public void Parse_BrokenJson_ExactOneLineMessage(string defect, string text, string expected)
    {
        var e = Assert.ThrowsExactly<PolicyFileException>(() => PolicyFileLoader.Parse("p.json", text, PolicyFileFormat.Json), defect);

        Assert.AreEqual(expected, e.Message, $"{defect} gave: {e.Message}");
    }

    [TestMethod]
    public void Parse_BillionLaughs_RefusedAtFirstAlias()
    {
        string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + string.Concat(Enumerable.Range(1, 8).Select(i => $"{(char)('a' + i)}: &{(char)('a' + i)} [{string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i - 1)}", 10))}]\n"))
            + "name: p\n";

        var e = Assert.ThrowsExactly<PolicyFileException>(() => PolicyFileLoader.Parse("p.yaml", text, PolicyFileFormat.Yaml));

        Assert.AreEqual("p.yaml:2: YAML aliases (*name) are not supported", e.Message);
    }

    [TestMethod]
    public void Parse_DeepJson_OneLineError()
    {
        string text = "{\"name\": " + new string('[', 1000) + new string(']', 1000) + "}";

        var e = Assert.ThrowsExactly<PolicyFileException>(() => PolicyFileLoader.Parse("p.json", text, PolicyFileFormat.Json));

        StringAssert.StartsWith(e.Message, "p.json:1: not valid JSON: ");
    }

    [TestMethod]
    [DataRow("P15M", 15, 0, 0)]
    [DataRow("P1Y3M", 15, 0, 0)]
    [DataRow("P7D", 0, 7, 0)]
    [DataRow("P2W", 0, 14, 0)]
    [DataRow("PT24H", 0, 0, 86400)]
    [DataRow("P1DT12H30M", 0, 1, 45000)]
    public void TryParse_IsoDuration_Parts(string text, int months, int days, int seconds)
    {
        Assert.IsTrue(PolicyPeriod.TryParse(text, out PolicyPeriod period));

        Assert.AreEqual(new PolicyPeriod(months, days, TimeSpan.FromSeconds(seconds)), period);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("P")]
    [DataRow("PT")]
    [DataRow("15M")]
    [DataRow("P1DT")]
    [DataRow("P-1D")]
    [DataRow("P1.5M")]
    [DataRow("PT1D")]
    [DataRow("P1H")]
    [DataRow("P1M1M")]
    [DataRow("P9999999D")]
    public void TryParse_NotIsoDuration_False(string text)
    {
        Assert.IsFalse(PolicyPeriod.TryParse(text, out _));
    }
}
