function Fine { 1 }
Import-Module Arq.Module.That.Does.Not.Exist
