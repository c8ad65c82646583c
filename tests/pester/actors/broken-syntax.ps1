function Fine { 1 }

function Broken( {
