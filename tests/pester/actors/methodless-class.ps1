function Fine { 1 }

class JustData {
    [string] $Name
}
