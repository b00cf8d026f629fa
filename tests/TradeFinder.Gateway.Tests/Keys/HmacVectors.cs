using System.Text.Json;

namespace TradeFinder.Gateway.Tests.Keys;

public sealed record HmacVector(string Name, string Secret, string Query, string Body, string Signature)
{
    public override string ToString() => Name;
}

public static class HmacVectors
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<HmacVector> All { get; } = Load();

    public static TheoryData<HmacVector> Data()
    {
        var data = new TheoryData<HmacVector>();
        foreach (var vector in All)
        {
            data.Add(vector);
        }

        return data;
    }

    private static List<HmacVector> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Keys", "Vectors", "hmac-sha256.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("vectors").Deserialize<List<HmacVector>>(Json)!;
    }
}
