using System.Security.Claims;
using Arq.Dashboard;
using Arq.Samples.WorkerService;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

var builder = WebApplication.CreateBuilder(args);

// Under systemd (Type=notify): tells it when the service is ready and stopping, and logs in its format.
builder.Host.UseSystemd();

// The worker and what it runs: settings from the "Arq" section of appsettings.json (or Arq__Redis and the like).
builder.Services.AddSingleton<ReportStore>();
builder.Services.AddArqWorker().AddActor<Reports>();
builder.Services.AddHealthChecks().AddArq();

// The dashboard, behind a policy: operators sign in with the key in Dashboard:OperatorKey (user secrets or the
// environment; none is set, so nobody signs in until you set one). Put your own sign-in here (OpenID Connect ...).
builder.Services.AddArqDashboard();
builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(options => options.LoginPath = "/signin");
builder.Services.AddAuthorizationBuilder().AddPolicy("ops", policy => policy.RequireRole("ops"));

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapArqDashboard("/arq", new ArqDashboardOptions { AllowActions = true }).RequireAuthorization("ops");
app.MapHealthChecks("/health");

app.MapGet("/signin", (HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
{
    var tokens = antiforgery.GetAndStoreTokens(context);
    return Results.Content($"""
        <!DOCTYPE html><title>Sign in</title>
        <form method="post"><input type="hidden" name="{tokens.FormFieldName}" value="{tokens.RequestToken}">
        <input type="hidden" name="returnUrl" value="{System.Net.WebUtility.HtmlEncode(returnUrl ?? "/arq")}">
        <label>Operator key <input type="password" name="key"></label> <button>Sign in</button></form>
        """, "text/html");
});
app.MapPost("/signin", async (HttpContext context, IConfiguration configuration, [FromForm] string key, [FromForm] string? returnUrl) =>
{
    var expected = configuration["Dashboard:OperatorKey"];
    if (string.IsNullOrEmpty(expected) || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(key), System.Text.Encoding.UTF8.GetBytes(expected)))
        return Results.Unauthorized();
    var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator"), new Claim(ClaimTypes.Role, "ops")], CookieAuthenticationDefaults.AuthenticationScheme);
    await context.SignInAsync(new ClaimsPrincipal(identity));
    return Results.LocalRedirect(returnUrl is { Length: > 0 } && returnUrl.StartsWith('/') ? returnUrl : "/arq");
});

app.Run();

/// <summary>The entry point, named for the tests' WebApplicationFactory.</summary>
public partial class Program;
