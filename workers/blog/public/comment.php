<?php
// A form that posts to itself; a valid POST redirects back to the list (POST/redirect/GET).
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $text = trim($_POST['text'] ?? '');
    if ($text === '') {
        http_response_code(422);
        echo "A comment needs some text.\n";
        return;
    }
    error_log('comment received: ' . strlen($text) . ' bytes');
    setcookie('last_comment', substr($text, 0, 40), ['path' => '/blog', 'httponly' => true]);
    setcookie('commented', '1', ['path' => '/blog']);
    header('Location: ' . dirname($_SERVER['SCRIPT_NAME']) . '/');
    return;
}
header('Content-Type: text/html; charset=utf-8');
?>
<!DOCTYPE html>
<html><body>
<form method="post">
  <textarea name="text"></textarea>
  <button>Send</button>
</form>
</body></html>
