using System.Net;
using System.Text.Json;
using VectLite.Server.Tests.Support;

namespace VectLite.Server.Tests;

/// <summary>
/// <c>GET /openapi.json</c>: the hand-written document describes exactly the REST routes the server maps (read from the
/// running server's endpoint table, not from the document), every operation has an id and a response, and every $ref
/// resolves.
/// </summary>
public sealed class OpenApiTests
{
    [Fact]
    public async Task The_openapi_document_lists_every_route_the_server_maps_and_nothing_else()
    {
        await using ServerHost host = await ServerHost.Start();
        Response response = await host.Get("/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        JsonElement doc = response.Json;
        Assert.StartsWith("3.0", doc.GetProperty("openapi").GetString(), StringComparison.Ordinal);

        var documented = new List<string>();
        foreach (JsonProperty path in doc.GetProperty("paths").EnumerateObject())
        {
            foreach (JsonProperty operation in path.Value.EnumerateObject())
            {
                documented.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
                Assert.False(string.IsNullOrEmpty(operation.Value.GetProperty("operationId").GetString()), $"{operation.Name} {path.Name} has no operationId");
                Assert.True(operation.Value.GetProperty("responses").TryGetProperty("200", out _), $"{operation.Name} {path.Name} has no 200 response");
            }
        }
        IReadOnlyList<string> mapped = host.Server.RestRoutes;
        Assert.True(mapped.Count >= 20, $"the server maps only {mapped.Count} routes: {string.Join(", ", mapped)}");
        List<string> sorted = documented.Order(StringComparer.Ordinal).ToList();
        Assert.True(mapped.SequenceEqual(sorted), $"mapped but not documented: {string.Join(", ", mapped.Except(sorted))}; documented but not mapped: {string.Join(", ", sorted.Except(mapped))}");

        // Every reference points at a component that exists.
        foreach (string reference in References(doc))
        {
            string[] parts = reference.TrimStart('#', '/').Split('/');
            JsonElement target = doc;
            foreach (string part in parts)
            {
                Assert.True(target.TryGetProperty(part, out target), $"{reference} does not resolve");
            }
        }
    }

    private static IEnumerable<string> References(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    if (property.Name == "$ref")
                    {
                        yield return property.Value.GetString()!;
                    }
                    foreach (string inner in References(property.Value))
                    {
                        yield return inner;
                    }
                }
                break;
            case JsonValueKind.Array:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    foreach (string inner in References(item))
                    {
                        yield return inner;
                    }
                }
                break;
        }
    }
}
