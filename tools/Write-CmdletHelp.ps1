#Requires -Version 7.4
<#
.SYNOPSIS
    Writes the MAML help of a binary module's cmdlets, so that Get-Help <cmdlet> -Full is useful.

.DESCRIPTION
    Syntax, parameter sets, positions and pipeline input come from PowerShell's own metadata of the imported
    cmdlets; synopsis, descriptions and examples come from the compiler's XML documentation, written in the
    XmlDoc2CmdletDoc style: <para type="synopsis">, <para type="description"> and <example><code>…</code><para>what
    it does</para></example>.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $XmlDocPath,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$module = Import-Module $ModulePath -PassThru
$docs = @{}
foreach ($member in ([xml](Get-Content $XmlDocPath -Raw)).doc.members.member) { $docs[$member.name] = $member }
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

function Get-Para($member, [string] $type) {
    if (-not $member) { return '' }
    $paras = @($member.summary.para | Where-Object { $_.type -eq $type } | ForEach-Object { $_.InnerText.Trim() -replace '\s+', ' ' })
    $paras -join "`n"
}

function Get-PropertyDoc([type] $cmdletType, [string] $name) {
    $property = $cmdletType.GetProperty($name)
    $docs["P:$($property.DeclaringType.FullName).$name"]
}

$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$null = New-Item -ItemType Directory -Force (Split-Path $OutputPath)
$w = [System.Xml.XmlWriter]::Create($OutputPath, $settings)
$maml = 'http://schemas.microsoft.com/maml/2004/10'
$command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$w.WriteStartElement('helpItems', 'http://msh')
$w.WriteAttributeString('schema', 'maml')

function Write-Para([string] $text) {
    foreach ($line in $text -split "`n") { $w.WriteElementString('para', $maml, $line) }
}

function Write-Parameter($parameter, [string] $description, [bool] $inSyntax) {
    $w.WriteStartElement('parameter', $command)
    $w.WriteAttributeString('required', "$($parameter.IsMandatory)".ToLower())
    $w.WriteAttributeString('position', $(if ($parameter.Position -ge 0) { "$($parameter.Position)" } else { 'named' }))
    $pipeline = @(if ($parameter.ValueFromPipeline) { 'ByValue' }; if ($parameter.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
    $w.WriteAttributeString('pipelineInput', $(if ($pipeline) { "true ($($pipeline -join ', '))" } else { 'false' }))
    $w.WriteAttributeString('globbing', 'false')
    $w.WriteElementString('name', $maml, $parameter.Name)
    if (-not $inSyntax) {
        $w.WriteStartElement('description', $maml); Write-Para $description; $w.WriteEndElement()
    }
    if ($parameter.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
        $w.WriteStartElement('parameterValue', $command)
        $w.WriteAttributeString('required', 'true')
        $w.WriteString($parameter.ParameterType.Name)
        $w.WriteEndElement()
    }
    if (-not $inSyntax) {
        $w.WriteStartElement('type', $dev); $w.WriteElementString('name', $maml, $parameter.ParameterType.FullName); $w.WriteEndElement()
    }
    $w.WriteEndElement()
}

foreach ($cmdlet in $module.ExportedCmdlets.Values | Sort-Object Name) {
    $type = $cmdlet.ImplementingType
    $doc = $docs["T:$($type.FullName)"]
    $synopsis = Get-Para $doc 'synopsis'
    if (-not $synopsis) { throw "$($cmdlet.Name) ($($type.FullName)) has no <para type=`"synopsis`"> in its XML documentation." }
    $w.WriteStartElement('command', 'command', $command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $w.WriteStartElement('details', $command)
    $w.WriteElementString('name', $command, $cmdlet.Name)
    $w.WriteStartElement('description', $maml); Write-Para $synopsis; $w.WriteEndElement()
    $w.WriteElementString('verb', $command, $cmdlet.Verb)
    $w.WriteElementString('noun', $command, $cmdlet.Noun)
    $w.WriteEndElement()
    $w.WriteStartElement('description', $maml); Write-Para (Get-Para $doc 'description'); $w.WriteEndElement()

    $w.WriteStartElement('syntax', $command)
    foreach ($set in $cmdlet.ParameterSets) {
        $w.WriteStartElement('syntaxItem', $command)
        $w.WriteElementString('name', $maml, $cmdlet.Name)
        foreach ($parameter in $set.Parameters | Where-Object Name -NotIn $common) { Write-Parameter $parameter '' $true }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('parameters', $command)
    $seen = @{}
    foreach ($parameter in $cmdlet.ParameterSets.Parameters | Where-Object Name -NotIn $common) {
        if ($seen.ContainsKey($parameter.Name)) { continue }
        $seen[$parameter.Name] = $true
        $description = Get-Para (Get-PropertyDoc $type $parameter.Name) 'description'
        if (-not $description) { throw "$($cmdlet.Name) -$($parameter.Name) has no <para type=`"description`"> in its XML documentation." }
        Write-Parameter $parameter $description $false
    }
    $w.WriteEndElement()

    $w.WriteStartElement('returnValues', $command)
    foreach ($output in $cmdlet.OutputType) {
        $w.WriteStartElement('returnValue', $command)
        $w.WriteStartElement('type', $dev); $w.WriteElementString('name', $maml, $output.Name); $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('examples', $command)
    $number = 0
    foreach ($example in @($doc.summary.example)) {
        if (-not $example) { continue }
        $number++
        $w.WriteStartElement('example', $command)
        $w.WriteElementString('title', $maml, "-------------------------- Example $number --------------------------")
        $w.WriteElementString('code', $dev, $example.code.Trim())
        # What the example does, as PowerShell's own help says it: every example has one.
        $remarks = @($example.para | ForEach-Object { "$_".Trim() -replace '\s+', ' ' } | Where-Object { $_ })
        if (-not $remarks) { throw "$($cmdlet.Name) example $number ($($example.code.Trim())) has no <para> saying what it does." }
        $w.WriteStartElement('remarks', $dev); Write-Para ($remarks -join "`n"); $w.WriteEndElement()
        $w.WriteEndElement()
    }
    if ($number -eq 0) { throw "$($cmdlet.Name) has no <example> in its XML documentation." }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.Dispose()
Write-Host "Help for $($module.ExportedCmdlets.Count) cmdlets written to $OutputPath"
