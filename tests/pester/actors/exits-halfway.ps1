# A script that exits halfway: it loads without an error, but without the functions after the exit.
function Fine { 'fine' }
exit
function Later { 'later' }
