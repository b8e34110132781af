<?php
// Streams ?mib=N mebibytes of a repeating pattern, to test large responses.
$mib = max(0, min(64, (int) ($_GET['mib'] ?? 1)));
header('Content-Type: application/octet-stream');
$block = str_repeat('0123456789abcdef', 65536);
for ($i = 0; $i < $mib; $i++) {
    echo $block;
    flush();
}
